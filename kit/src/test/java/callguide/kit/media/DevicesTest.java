package callguide.kit.media;

import static org.assertj.core.api.Assertions.assertThat;

import callguide.kit.rtc.WebRtcRuntime;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The devices")
class DevicesTest {

    @Test
    @DisplayName("count the microphones opened from them that are capturing still; a second close counts once")
    void microphonesCapturing() {
        WebRtcRuntime.factory(); // loads webrtc-java's native library, which a microphone's source needs
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
}
