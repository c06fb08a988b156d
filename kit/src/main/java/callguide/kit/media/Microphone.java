package callguide.kit.media;

import dev.onvoid.webrtc.media.audio.AudioTrackSource;

/** A microphone that is capturing: the source to build an audio track on. Close it to stop. */
public interface Microphone extends AutoCloseable {

    String name();

    AudioTrackSource source();

    @Override
    void close();
}
