package callguide.kit.media;

import callguide.kit.media.MediaConstraints.FacingMode;
import callguide.kit.media.MediaConstraints.VideoConstraints;
import dev.onvoid.webrtc.media.MediaDevices;
import dev.onvoid.webrtc.media.video.VideoCaptureCapability;
import dev.onvoid.webrtc.media.video.VideoDevice;
import dev.onvoid.webrtc.media.video.VideoDeviceSource;
import dev.onvoid.webrtc.media.video.VideoTrackSource;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * A real camera, found by {@link MediaDevices#getVideoCaptureDevices()}. Desktop cameras do not
 * say which way they face, so one whose name mentions "back", "rear" or "environment" is taken
 * as the back camera and every other as the front one.
 */
final class DeviceCamera implements Camera {
    private final VideoDevice device;

    DeviceCamera(VideoDevice device) {
        this.device = device;
    }

    @Override
    public String name() {
        return device.getName();
    }

    @Override
    public FacingMode facing() {
        String n = device.getName().toLowerCase(Locale.ROOT);
        return n.contains("back") || n.contains("rear") || n.contains("environment")
                ? FacingMode.ENVIRONMENT
                : FacingMode.USER;
    }

    @Override
    public boolean synthetic() {
        return false;
    }

    @Override
    public CameraSource open(VideoConstraints constraints) {
        List<VideoCaptureCapability> modes = MediaDevices.getVideoCaptureCapabilities(device);
        VideoCaptureCapability mode = modes.stream()
                .filter(m -> m.frameRate >= constraints.frameRate())
                .min(Comparator.comparingInt(
                        m -> Math.abs(m.width * m.height - constraints.width() * constraints.height())))
                .orElseThrow(() -> new OverconstrainedException(
                        "frameRate",
                        name() + " has no mode at " + constraints.frameRate() + " frames a second: " + modes));
        VideoDeviceSource source = new VideoDeviceSource();
        source.setVideoCaptureDevice(device);
        source.setVideoCaptureCapability(new VideoCaptureCapability(mode.width, mode.height, constraints.frameRate()));
        source.start();
        return new CameraSource() {
            @Override
            public VideoTrackSource source() {
                return source;
            }

            @Override
            public Camera camera() {
                return DeviceCamera.this;
            }

            @Override
            public int width() {
                return mode.width;
            }

            @Override
            public int height() {
                return mode.height;
            }

            @Override
            public int frameRate() {
                return constraints.frameRate();
            }

            @Override
            public void close() {
                source.stop();
            }
        };
    }

    @Override
    public String toString() {
        return name() + " (facing " + facing() + ")";
    }
}
