package callguide.kit.rtc;

import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.media.audio.HeadlessAudioDeviceModule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The one {@link PeerConnectionFactory} of this JVM, built the way that works on a headless box.
 *
 * <ul>
 *   <li>{@code new PeerConnectionFactory()} aborts the JVM without a sound device (SIGABRT, cannot
 *       be caught), so a {@link HeadlessAudioDeviceModule} is passed in.</li>
 *   <li>Playout is initialised and started: without it, sending audio from a custom source
 *       aborted the JVM, and remote audio sinks get nothing.</li>
 *   <li>One factory per JVM: re-creating factories leaks two native threads each time.</li>
 * </ul>
 */
public final class WebRtcRuntime {

    private static final String LIBPULSE = "libpulse.so.0";
    private static final List<String> LIBRARY_DIRS =
            List.of("/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib", "/lib");

    private WebRtcRuntime() {}

    private static final class Holder {
        static final HeadlessAudioDeviceModule AUDIO;
        static final PeerConnectionFactory FACTORY;

        static {
            requireNativeDependencies();
            try {
                AUDIO = new HeadlessAudioDeviceModule();
                AUDIO.initPlayout();
                AUDIO.startPlayout();
                FACTORY = new PeerConnectionFactory(AUDIO);
            } catch (UnsatisfiedLinkError e) {
                throw new IllegalStateException(
                        "webrtc-java's native library did not load: " + e.getMessage()
                                + ". On Debian or Ubuntu: apt-get install -y --no-install-recommends libpulse0",
                        e);
            }
        }
    }

    /** The factory, created on first use. */
    public static PeerConnectionFactory factory() {
        return Holder.FACTORY;
    }

    /**
     * Fails with a message naming the package when a system library the native code needs is
     * missing, instead of an {@link UnsatisfiedLinkError} from deep inside webrtc-java.
     */
    static void requireNativeDependencies() {
        if (!System.getProperty("os.name", "").toLowerCase().contains("linux")) {
            return;
        }
        boolean found = LIBRARY_DIRS.stream().anyMatch(dir -> Files.exists(Path.of(dir, LIBPULSE)));
        if (!found) {
            throw new IllegalStateException("webrtc-java needs " + LIBPULSE + " (PulseAudio's client library, "
                    + "even without a sound server). Install it: apt-get install -y --no-install-recommends libpulse0");
        }
    }
}
