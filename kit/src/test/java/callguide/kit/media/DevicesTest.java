package callguide.kit.media;

import static org.assertj.core.api.Assertions.assertThat;

import callguide.kit.media.MediaConstraints.FacingMode;
import callguide.kit.media.MediaConstraints.VideoConstraints;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@DisplayName("The devices")
class DevicesTest {

    @Test
    @DisplayName("count the microphones opened from them that are capturing still; a second close counts once")
    void microphonesCapturing() {
        Devices devices = Devices.synthetic();
        assertThat(devices.microphonesCapturing()).as("before any is opened").isZero();
        Microphone first = devices.openMicrophone();
        Microphone second = devices.openMicrophone();
        assertThat(devices.microphonesCapturing()).as("two opened").isEqualTo(2);
        assertThat(Devices.synthetic().microphonesCapturing())
                .as("other devices' own count")
                .isZero();

        first.close();
        first.close();
        assertThat(devices.microphonesCapturing()).as("one closed, twice").isEqualTo(1);
        second.close();
        assertThat(devices.microphonesCapturing()).as("both closed").isZero();
    }

    @Test
    @Timeout(90)
    @DisplayName("open a microphone and a camera in a JVM that never asked for a factory before (step01's first try)")
    void beforeAnyFactory() throws Exception {
        // A JVM of its own: in this one, another test may have loaded webrtc-java's native library already.
        Process jvm = new ProcessBuilder(
                        ProcessHandle.current().info().command().orElse("java"),
                        "-cp",
                        System.getProperty("java.class.path"),
                        FirstUse.class.getName())
                .redirectErrorStream(true)
                .start();
        CompletableFuture<String> printed = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(jvm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "cannot read what it printed: " + e;
            }
        });
        try {
            assertThat(jvm.waitFor(60, TimeUnit.SECONDS))
                    .as("the fresh JVM ended within 60 s")
                    .isTrue();
            assertThat(jvm.exitValue())
                    .as("the fresh JVM's exit status; it printed:%n%s", printed.get(10, TimeUnit.SECONDS))
                    .isZero();
        } finally {
            jvm.destroyForcibly();
        }
    }

    /** A fresh JVM's first use of webrtc-java: a microphone, then a camera, as a learner's getUserMedia may. */
    static final class FirstUse {
        private FirstUse() {}

        public static void main(String[] args) {
            Devices devices = Devices.synthetic();
            try (Microphone microphone = devices.openMicrophone();
                    CameraSource camera = devices.cameras().get(0).open(new VideoConstraints(30, FacingMode.USER))) {
                System.out.println("opened " + microphone.name() + " and " + camera.camera());
            }
            System.exit(0); // libwebrtc's native threads would keep the JVM up
        }
    }
}
