package callguide.kit.media;

import dev.onvoid.webrtc.media.audio.AudioTrack;
import dev.onvoid.webrtc.media.video.VideoTrack;

/**
 * What {@code getUserMedia} gave: the local stream, its tracks (either may be null when not
 * asked for) and the capturing devices behind them. {@link #close()} stops the devices and
 * disposes the tracks; do it after the peer connection is closed.
 */
public record LocalMedia(
        Stream stream, AudioTrack audioTrack, VideoTrack videoTrack, Microphone microphone, CameraSource camera)
        implements AutoCloseable {

    @Override
    public void close() {
        if (camera != null) {
            camera.close();
        }
        if (microphone != null) {
            microphone.close();
        }
        if (videoTrack != null) {
            videoTrack.dispose();
        }
        if (audioTrack != null) {
            audioTrack.dispose();
        }
    }
}
