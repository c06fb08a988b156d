package callguide.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The WebSocket transport frame by frame, as a hand-written client sends them (RawWebSocket): a message in fragments,
 * fragments past the limit, bytes that are not UTF-8. The relay reads frames itself (Jetty's core layer), so what a
 * WebSocket library used to do for it is held here.
 */
@DisplayName("The relay's WebSocket, frame by frame")
@Timeout(30)
class RelayWebSocketFramesTest {
    private static final AtomicInteger ROOMS = new AtomicInteger();
    private static Relay relay;

    @BeforeAll
    static void start() {
        relay = Relay.start(RelayConfig.defaults().withPort(0).withStunPort(-1));
    }

    @AfterAll
    static void stop() {
        relay.close();
    }

    /** A room of two raw clients, a and b, each past its welcome, and a past the news of b. */
    private static RawWebSocket[] pair() throws Exception {
        String room = "frames-" + ROOMS.incrementAndGet();
        RawWebSocket a = RawWebSocket.join(relay, room, "a");
        assertThat(a.nextOfType("welcome").text()).contains("\"welcome\"");
        RawWebSocket b = RawWebSocket.join(relay, room, "b");
        assertThat(b.nextOfType("welcome").text()).contains("\"welcome\"");
        assertThat(a.nextOfType("peer-joined").text()).contains("\"peer\":\"b\"");
        return new RawWebSocket[] {a, b};
    }

    @Test
    @DisplayName("a message in fragments arrives whole, characters split across fragments included")
    void fragments() throws Exception {
        RawWebSocket[] ab = pair();
        try (RawWebSocket a = ab[0];
                RawWebSocket b = ab[1]) {
            String sdp = "v=0 caf\u00e9 \u20ac \ud83d\ude00 ".repeat(40);
            // 7-byte fragments cut the 2-, 3- and 4-byte characters somewhere in the middle.
            a.sendFragmented("{\"type\":\"offer\",\"payload\":{\"sdp\":\"" + sdp + "\"}}", 7);
            String offer = b.nextOfType("offer").text();
            assertThat(TestClient.parse(offer).path("payload").path("sdp").asText())
                    .as("the SDP as sent, in one message")
                    .isEqualTo(sdp);
            assertThat(TestClient.parse(offer).path("from").asText()).isEqualTo("a");
        }
    }

    @Test
    @DisplayName("a message past the limit in fragments gets too-large, and the connection stays")
    void fragmentsPastTheLimit() throws Exception {
        RawWebSocket[] ab = pair();
        try (RawWebSocket a = ab[0];
                RawWebSocket b = ab[1]) {
            int limit = relay.config().maxMessageBytes();
            a.sendFragmented("{\"type\":\"offer\",\"payload\":{\"sdp\":\"" + "a".repeat(limit) + "\"}}", 4096);
            assertThat(a.nextOfType("error").text()).contains("\"code\":\"too-large\"");
            a.sendText("{\"type\":\"candidate\",\"payload\":{\"n\":1}}");
            assertThat(b.nextOfType("candidate").text())
                    .as("the next message is forwarded: the too-large one is gone, the connection is not")
                    .contains("\"n\":1");
        }
    }

    @Test
    @DisplayName("a message of over 16 times the limit closes the connection (1009) without being read whole")
    void farPastTheLimit() throws Exception {
        RawWebSocket[] ab = pair();
        try (RawWebSocket a = ab[0];
                RawWebSocket b = ab[1]) {
            int limit = relay.config().maxMessageBytes();
            byte[] part = "a".repeat(limit).getBytes(StandardCharsets.UTF_8);
            a.send(RawWebSocket.TEXT, false, "{\"type\":\"offer\",\"payload\":\"".getBytes(StandardCharsets.UTF_8));
            for (int i = 0; i < 17; i++) {
                a.send(RawWebSocket.CONTINUATION, false, part);
            }
            assertThat(a.nextOfType("never").closeCode()).isEqualTo(1009);
            assertThat(b.nextOfType("peer-left").text()).contains("\"peer\":\"a\"");
        }
    }

    @Test
    @DisplayName("a text frame that is not UTF-8 fails the connection (1007), as RFC 6455 asks, and the peer leaves")
    void notUtf8() throws Exception {
        RawWebSocket[] ab = pair();
        try (RawWebSocket a = ab[0];
                RawWebSocket b = ab[1]) {
            byte[] frame = "{\"type\":\"x-note\",\"payload\":\"..\"}".getBytes(StandardCharsets.UTF_8);
            frame[28] = (byte) 0xC3; // a 2-byte character's start ...
            frame[29] = (byte) 0x28; // ... and no continuation byte after it
            a.send(RawWebSocket.TEXT, true, frame);
            assertThat(a.nextOfType("never").closeCode()).isEqualTo(1007);
            assertThat(b.nextOfType("peer-left").text()).contains("\"peer\":\"a\"");
        }
    }

    @Test
    @DisplayName("a text frame carrying U+FFFD itself is valid UTF-8, and forwarded as sent")
    void replacementCharacterSent() throws Exception {
        RawWebSocket[] ab = pair();
        try (RawWebSocket a = ab[0];
                RawWebSocket b = ab[1]) {
            a.sendText("{\"type\":\"x-note\",\"payload\":\"\ufffd\"}");
            assertThat(TestClient.parse(b.nextOfType("x-note").text())
                            .path("payload")
                            .asText())
                    .isEqualTo("\ufffd");
        }
    }
}
