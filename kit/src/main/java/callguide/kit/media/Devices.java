package callguide.kit.media;

import callguide.kit.media.MediaConstraints.FacingMode;
import dev.onvoid.webrtc.media.MediaDevices;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The media devices a peer can open: what {@code mediaDevices} is to the guide.
 *
 * <p>{@link #system()} lists the machine's cameras, and falls back to a synthetic front and back
 * camera where there are none. The microphone is always synthetic: the headless audio module
 * this workshop needs cannot record, and on a machine without sound the audio device listings
 * of webrtc-java hang in native code, so they are never called.
 */
public final class Devices {
    private final List<Camera> cameras;
    private final AtomicInteger microphonesCapturing = new AtomicInteger();

    private Devices(List<Camera> cameras) {
        this.cameras = List.copyOf(cameras);
    }

    /** A synthetic front ({@code user}) and back ({@code environment}) camera: the same on every machine. */
    public static Devices synthetic() {
        return new Devices(List.of(
                new SyntheticCamera("synthetic front camera", FacingMode.USER),
                new SyntheticCamera("synthetic back camera", FacingMode.ENVIRONMENT)));
    }

    /** The machine's cameras, or the synthetic ones when it has none. */
    public static Devices system() {
        List<Camera> real = MediaDevices.getVideoCaptureDevices().stream()
                .<Camera>map(DeviceCamera::new)
                .toList();
        return real.isEmpty() ? synthetic() : new Devices(real);
    }

    public static Devices of(List<Camera> cameras) {
        return new Devices(cameras);
    }

    public List<Camera> cameras() {
        return cameras;
    }

    /** Starts a microphone. */
    public Microphone openMicrophone() {
        microphonesCapturing.incrementAndGet();
        return new SyntheticMicrophone(microphonesCapturing::decrementAndGet);
    }

    /**
     * How many microphones opened here are capturing still (opened, not yet closed): what a browser's
     * "recording" indicator shows.
     */
    public int microphonesCapturing() {
        return microphonesCapturing.get();
    }
}
