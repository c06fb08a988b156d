package callguide.kit.signal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.onvoid.webrtc.RTCSdpType;
import dev.onvoid.webrtc.RTCSessionDescription;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("A session description message")
class SessionDescriptionMessageTest {

    private static final String SDP = "v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n";

    @Test
    @DisplayName("reads the browser's {type: 'offer', sdp} into an RTCSessionDescription of type OFFER")
    void readsBrowserOffer() {
        String json = Json.write(new java.util.LinkedHashMap<>(java.util.Map.of("type", "offer", "sdp", SDP)));

        RTCSessionDescription rtc =
                Json.read(json, SessionDescriptionMessage.class).toRtc();

        assertThat(rtc.sdpType).as("the webrtc-java type of a browser 'offer'").isEqualTo(RTCSdpType.OFFER);
        assertThat(rtc.sdp).as("the SDP, CRLFs and all").isEqualTo(SDP);
    }

    @ParameterizedTest(name = "{0} <-> \"{1}\"")
    @CsvSource({"OFFER, offer", "ANSWER, answer", "PR_ANSWER, pranswer", "ROLLBACK, rollback"})
    @DisplayName("maps every webrtc-java type to the browser's lower-case name and back")
    void mapsTypes(RTCSdpType sdpType, String browserType) {
        String json = Json.write(SessionDescriptionMessage.from(new RTCSessionDescription(sdpType, SDP)));
        JsonNode tree = Json.read(json, JsonNode.class);

        assertThat(tree.fieldNames())
                .toIterable()
                .as("the JSON's fields: the browser's {type, sdp}")
                .containsExactlyInAnyOrder("type", "sdp");
        assertThat(tree.get("type").asText()).as("JSON type for %s", sdpType).isEqualTo(browserType);
        assertThat(tree.get("sdp").asText()).as("JSON sdp").isEqualTo(SDP);
        RTCSessionDescription back =
                Json.read(json, SessionDescriptionMessage.class).toRtc();
        assertThat(back.sdpType).as("the type after the round trip").isEqualTo(sdpType);
        assertThat(back.sdp).as("the SDP after the round trip").isEqualTo(SDP);
    }

    @Test
    @DisplayName("accepts the type in any case, as webrtc-java's own enum names print it")
    void acceptsAnyCase() {
        assertThat(new SessionDescriptionMessage("ANSWER", SDP).toRtc().sdpType)
                .as("type 'ANSWER'")
                .isEqualTo(RTCSdpType.ANSWER);
    }

    @Test
    @DisplayName("refuses a missing or unknown type, and a missing sdp, with a clear IllegalArgumentException")
    void refusesBadShapes() {
        assertThatThrownBy(() -> new SessionDescriptionMessage(null, SDP).toRtc())
                .as("no type")
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("without a type");
        assertThatThrownBy(() -> new SessionDescriptionMessage("offer", null).toRtc())
                .as("no sdp")
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("offer without an sdp");
        assertThatThrownBy(() -> new SessionDescriptionMessage("sdpType", SDP).toRtc())
                .as("an unknown type")
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown session description type 'sdpType'");
        assertThatThrownBy(() -> Json.read("{\"sdpType\":\"OFFER\",\"sdp\":\"v=0\"}", SessionDescriptionMessage.class)
                        .toRtc())
                .as("webrtc-java's own JSON shape read as a browser message")
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("without a type");
    }
}
