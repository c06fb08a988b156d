package callguide.kit.signal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.onvoid.webrtc.RTCIceCandidate;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("A candidate message")
class CandidateMessageTest {

    /** As Chromium gathers it with a STUN server on 127.0.0.1. */
    private static final String BROWSER_LINE =
            "candidate:1467250027 1 udp 1686052607 127.0.0.1 50312 typ srflx raddr 0.0.0.0 rport 0 generation 0 "
                    + "ufrag Yq3x network-id 1";

    private static final String JAVA_LINE =
            "candidate:3245612397 1 udp 1685987071 127.0.0.1 48211 typ srflx raddr 0.0.0.0 rport 48211 "
                    + "generation 0 ufrag wN8h network-cost 50";

    @Test
    @DisplayName("reads a browser's candidate JSON with usernameFragment and all three fields")
    void readsBrowserJson() {
        String json = "{\"candidate\":\"" + BROWSER_LINE
                + "\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0,\"usernameFragment\":\"Yq3x\"}";

        CandidateMessage message = Json.read(json, CandidateMessage.class);
        RTCIceCandidate rtc = message.toRtc();

        assertThat(message.usernameFragment())
                .as("usernameFragment read from the browser's JSON")
                .isEqualTo("Yq3x");
        assertThat(rtc.sdp)
                .as("the candidate line goes into RTCIceCandidate.sdp")
                .isEqualTo(BROWSER_LINE);
        assertThat(rtc.sdpMid).as("RTCIceCandidate.sdpMid").isEqualTo("0");
        assertThat(rtc.sdpMLineIndex).as("RTCIceCandidate.sdpMLineIndex").isZero();
        assertThat(message.address()).as("the address in the candidate line").isEqualTo("127.0.0.1");
        assertThat(message.candidateType()).as("the type in the candidate line").isEqualTo("srflx");
    }

    @Test
    @DisplayName("reads a browser's candidate that names only sdpMid (no sdpMLineIndex), keeping the mid")
    void readsBrowserJsonWithOnlyMid() {
        String json = "{\"candidate\":\"" + BROWSER_LINE + "\",\"sdpMid\":\"1\",\"usernameFragment\":\"Yq3x\"}";

        CandidateMessage message = Json.read(json, CandidateMessage.class);
        RTCIceCandidate rtc = message.toRtc();

        assertThat(message.sdpMLineIndex())
                .as("sdpMLineIndex absent from the JSON")
                .isNull();
        assertThat(rtc.sdpMid)
                .as("the mid libwebrtc looks the media section up by")
                .isEqualTo("1");
        assertThat(rtc.sdp).as("the candidate line").isEqualTo(BROWSER_LINE);
    }

    @Test
    @DisplayName("reads a candidate that names only sdpMLineIndex, with an empty mid so libwebrtc uses the index")
    void readsJsonWithOnlyIndex() {
        CandidateMessage message =
                Json.read("{\"candidate\":\"" + JAVA_LINE + "\",\"sdpMLineIndex\":1}", CandidateMessage.class);

        RTCIceCandidate rtc = message.toRtc();

        assertThat(rtc.sdpMid).as("sdpMid when none was given").isEmpty();
        assertThat(rtc.sdpMLineIndex).as("sdpMLineIndex as given").isEqualTo(1);
    }

    @Test
    @DisplayName("maps a webrtc-java candidate to the browser's JSON shape {candidate, sdpMid, sdpMLineIndex} and back")
    void roundTripsJavaCandidate() {
        RTCIceCandidate original = new RTCIceCandidate("0", 0, JAVA_LINE);

        String json = Json.write(CandidateMessage.from(original));
        JsonNode tree = Json.tree(Json.read(json, JsonNode.class));
        RTCIceCandidate back = Json.read(json, CandidateMessage.class).toRtc();

        assertThat(tree.fieldNames())
                .toIterable()
                .as("the JSON's fields: the browser's names, no usernameFragment when unknown")
                .containsExactlyInAnyOrder("candidate", "sdpMid", "sdpMLineIndex");
        assertThat(tree.get("candidate").asText())
                .as("JSON candidate: the line")
                .isEqualTo(JAVA_LINE);
        assertThat(tree.get("sdpMid").isTextual()).as("JSON sdpMid is a string").isTrue();
        assertThat(tree.get("sdpMid").asText()).as("JSON sdpMid").isEqualTo("0");
        assertThat(tree.get("sdpMLineIndex").isInt())
                .as("JSON sdpMLineIndex is a number")
                .isTrue();
        assertThat(tree.get("sdpMLineIndex").asInt()).as("JSON sdpMLineIndex").isZero();
        assertThat(tree.has("sdp"))
                .as("webrtc-java's own field name 'sdp' must not appear")
                .isFalse();
        assertThat(back.sdp).as("the candidate line after the round trip").isEqualTo(JAVA_LINE);
        assertThat(back.sdpMid).as("sdpMid after the round trip").isEqualTo("0");
        assertThat(back.sdpMLineIndex).as("sdpMLineIndex after the round trip").isZero();
    }

    @Test
    @DisplayName("reads address and type of host, relay and IPv6 candidates")
    void readsAddressAndType() {
        CandidateMessage host = new CandidateMessage(
                "candidate:1 1 udp 2122260223 192.168.1.7 40000 typ host generation 0", "0", 0, null);
        CandidateMessage relay = new CandidateMessage(
                "candidate:2 1 udp 41885695 127.0.0.1 50000 typ relay raddr 127.0.0.1 rport 3478", "0", 0, null);
        CandidateMessage v6 = new CandidateMessage("candidate:3 1 udp 2122262783 ::1 40001 typ host", "0", 0, null);

        assertThat(host.address()).as("host candidate address").isEqualTo("192.168.1.7");
        assertThat(host.candidateType()).as("host candidate type").isEqualTo("host");
        assertThat(relay.candidateType()).as("relay candidate type").isEqualTo("relay");
        assertThat(v6.address()).as("IPv6 candidate address").isEqualTo("::1");
        assertThat(new CandidateMessage(null, "0", 0, null).address())
                .as("address of a message without a line")
                .isNull();
        assertThat(new CandidateMessage("garbage", "0", 0, null).candidateType())
                .as("type of a line without typ")
                .isNull();
    }

    @ParameterizedTest(name = "refuses \"{0}\"")
    @ValueSource(
            strings = {
                "a=candidate:1 1 udp 2122260223 127.0.0.1 40000 typ host",
                "candidate:1 1 udp 2122260223 127.0.0.1 40000",
                "candidate:1 1 udp 2122260223 127.0.0.1 40000 type host",
                "candidate:1 one udp 2122260223 127.0.0.1 40000 typ host",
                "candidate:1 1 udp high 127.0.0.1 40000 typ host",
                "candidate:1 1 udp 2122260223 127.0.0.1 port typ host",
                "1 1 udp 2122260223 127.0.0.1 40000 typ host",
                "hello"
            })
    @DisplayName("refuses a malformed candidate line with an IllegalArgumentException quoting it")
    void refusesMalformedLine(String line) {
        assertThatThrownBy(() -> new CandidateMessage(line, "0", 0, null).toRtc())
                .as("converting the malformed line %s", line)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("malformed candidate line")
                .hasMessageContaining(line);
    }

    @Test
    @DisplayName("refuses a message without a candidate line, or naming neither sdpMid nor sdpMLineIndex")
    void refusesMissingParts() {
        assertThatThrownBy(() -> new CandidateMessage(null, "0", 0, null).toRtc())
                .as("a null candidate line")
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("without a candidate line");
        assertThatThrownBy(() -> new CandidateMessage("", "0", 0, null).toRtc())
                .as("an empty candidate line (the browser's end-of-candidates)")
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("without a candidate line");
        assertThatThrownBy(() -> new CandidateMessage(JAVA_LINE, null, null, "x").toRtc())
                .as("neither sdpMid nor sdpMLineIndex")
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("neither sdpMid nor sdpMLineIndex");
    }

    @Test
    @DisplayName("refuses JSON that is not a candidate message with a clear error")
    void refusesBadJson() {
        assertThatThrownBy(() -> Json.read("{\"candidate\": 5, \"sdpMLineIndex\": \"zero\"}", CandidateMessage.class))
                .as("a candidate message with an sdpMLineIndex that is not a number")
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a CandidateMessage");
        assertThatThrownBy(() -> Json.read("not json", CandidateMessage.class))
                .as("text that is not JSON")
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a CandidateMessage");
    }
}
