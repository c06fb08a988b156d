package callguide.kit.media;

import dev.onvoid.webrtc.media.video.VideoTrackSource;

/** A camera that is capturing: the source to build a video track on. Close it to stop capturing. */
public interface CameraSource extends AutoCloseable {

    VideoTrackSource source();

    /** The camera that captures. */
    Camera camera();

    int width();

    int height();

    int frameRate();

    @Override
    void close();
}
