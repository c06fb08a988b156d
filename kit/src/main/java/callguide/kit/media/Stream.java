package callguide.kit.media;

import dev.onvoid.webrtc.media.MediaStreamTrack;
import dev.onvoid.webrtc.media.audio.AudioTrack;
import dev.onvoid.webrtc.media.video.VideoTrack;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The browser's {@code MediaStream}: an id and the tracks in it. webrtc-java has no public
 * constructor for its own {@code MediaStream}, so the workshop uses this one for both the
 * local stream ({@code getUserMedia}) and the remote one (gathered from {@code track} events).
 * Safe to read from any thread.
 */
public final class Stream {
    private final String id;
    private final List<MediaStreamTrack> tracks = new CopyOnWriteArrayList<>();

    public Stream() {
        this(UUID.randomUUID().toString());
    }

    public Stream(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** Adds a track once; adding the same track again changes nothing, as in the browser. */
    public void addTrack(MediaStreamTrack track) {
        if (tracks.stream().noneMatch(t -> t == track)) {
            tracks.add(track);
        }
    }

    public List<MediaStreamTrack> getTracks() {
        return List.copyOf(tracks);
    }

    public List<AudioTrack> getAudioTracks() {
        return tracks.stream()
                .filter(AudioTrack.class::isInstance)
                .map(AudioTrack.class::cast)
                .toList();
    }

    public List<VideoTrack> getVideoTracks() {
        return tracks.stream()
                .filter(VideoTrack.class::isInstance)
                .map(VideoTrack.class::cast)
                .toList();
    }

    @Override
    public String toString() {
        return "Stream[" + id + ", " + getAudioTracks().size() + " audio, "
                + getVideoTracks().size() + " video]";
    }
}
