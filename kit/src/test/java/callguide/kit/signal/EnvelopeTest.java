package callguide.kit.signal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A relay envelope")
class EnvelopeTest {

    private static final String LINE = "candidate:1 1 udp 1686052607 127.0.0.1 50312 typ srflx raddr 0.0.0.0 rport 0";

    @Test
    @DisplayName("as a peer sends it carries type, to and payload, and leaves from and seq to the relay")
    void peerShape() {
        Envelope envelope = Envelope.to("bob", MessageTypes.CANDIDATE, new CandidateMessage(LINE, "0", 0, null));

        JsonNode json = Json.read(envelope.toJson(), JsonNode.class);

        assertThat(json.fieldNames())
                .toIterable()
                .as("the fields a peer sends")
                .containsExactlyInAnyOrder("type", "to", "payload");
        assertThat(json.get("type").asText()).as("type").isEqualTo("candidate");
        assertThat(json.get("to").asText()).as("to").isEqualTo("bob");
        assertThat(json.get("payload").get("candidate").asText())
                .as("payload.candidate")
                .isEqualTo(LINE);
        assertThat(json.get("payload").get("sdpMid").asText())
                .as("payload.sdpMid")
                .isEqualTo("0");
        assertThat(json.get("payload").get("sdpMLineIndex").asInt(-1))
                .as("payload.sdpMLineIndex")
                .isZero();
    }

    @Test
    @DisplayName("of(type, payload) has no recipient, and of(type, null) no payload")
    void withoutRecipientOrPayload() {
        JsonNode json = Json.read(Envelope.of(MessageTypes.HANGUP, null).toJson(), JsonNode.class);

        assertThat(json.fieldNames())
                .toIterable()
                .as("fields of a hangup without payload")
                .containsExactly("type");
        assertThat(Envelope.of(MessageTypes.OFFER, new SessionDescriptionMessage("offer", "v=0"))
                        .to())
                .as("recipient of an envelope made with of()")
                .isNull();
    }

    @Test
    @DisplayName("reads what the relay delivers (from, seq, unknown fields ignored) and its payload as a message")
    void readsRelayMessage() {
        String json = "{\"type\":\"offer\",\"from\":\"alice\",\"to\":\"bob\",\"seq\":7,\"v\":1,"
                + "\"payload\":{\"type\":\"offer\",\"sdp\":\"v=0\\r\\n\",\"extra\":true}}";

        Envelope envelope = Envelope.fromJson(json);
        SessionDescriptionMessage offer = envelope.payloadAs(SessionDescriptionMessage.class);

        assertThat(envelope.type()).as("type").isEqualTo("offer");
        assertThat(envelope.from()).as("from, set by the relay").isEqualTo("alice");
        assertThat(envelope.to()).as("to").isEqualTo("bob");
        assertThat(envelope.seq()).as("seq, set by the relay").isEqualTo(7L);
        assertThat(offer)
                .as("the payload read as a session description")
                .isEqualTo(new SessionDescriptionMessage("offer", "v=0\r\n"));
    }

    @Test
    @DisplayName("round-trips through JSON unchanged")
    void roundTrips() {
        Envelope envelope = new Envelope("x-number", "alice", "bob", 42L, Json.tree(java.util.Map.of("n", 3)));

        assertThat(Envelope.fromJson(envelope.toJson()))
                .as("the envelope after toJson and fromJson")
                .isEqualTo(envelope);
    }

    @Test
    @DisplayName(
            "refuses text that is not an envelope, and a payload that does not fit, with an IllegalArgumentException")
    void refusesBadInput() {
        assertThatThrownBy(() -> Envelope.fromJson("{\"type\":"))
                .as("truncated JSON")
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a Envelope");
        assertThatThrownBy(() -> Envelope.fromJson("{\"type\":\"offer\",\"seq\":\"seven\"}"))
                .as("a seq that is not a number")
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a Envelope");
        Envelope wrongPayload =
                Envelope.fromJson("{\"type\":\"candidate\",\"payload\":\"candidate:1 1 udp 1 127.0.0.1 1 typ host\"}");
        assertThatThrownBy(() -> wrongPayload.payloadAs(CandidateMessage.class))
                .as("a payload that is a string, read as a candidate")
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a CandidateMessage");
        for (String noPayload :
                new String[] {"{\"type\":\"candidate\"}", "{\"type\":\"candidate\",\"payload\":null}"}) {
            Envelope envelope = Envelope.fromJson(noPayload);
            assertThatThrownBy(() -> envelope.payloadAs(CandidateMessage.class))
                    .as("a payload read from %s", noPayload)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("candidate message with no payload");
        }
    }

    @Test
    @DisplayName("knows which types a peer may send")
    void peerTypes() {
        assertThat(MessageTypes.FROM_PEERS)
                .as("the protocol's peer types")
                .allSatisfy(type -> assertThat(MessageTypes.isPeerType(type))
                        .as("isPeerType(%s)", type)
                        .isTrue());
        assertThat(MessageTypes.isPeerType("x-number"))
                .as("an x- extension is a peer type")
                .isTrue();
        assertThat(MessageTypes.isPeerType("x-"))
                .as("the bare x- prefix is not a type")
                .isFalse();
        assertThat(MessageTypes.isPeerType(MessageTypes.WELCOME))
                .as("welcome is the relay's")
                .isFalse();
        assertThat(MessageTypes.isPeerType(null)).as("null").isFalse();
    }
}
