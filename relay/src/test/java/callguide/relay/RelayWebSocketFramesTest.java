package callguide.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The WebSocket transport frame by frame, as a hand-written client sends them (RawWebSocket): a message in fragments,
 * fragments past the limit, bytes that are not UTF-8. The relay reads frames itself (Jetty's core layer), so what a
 * WebSocket library used to do for it is held here.
 */
@DisplayName("The relay's WebSocket, frame by frame")
@Timeout(30)
class RelayWebSocketFramesTest {
    private static final AtomicInteger ROOMS = new AtomicInteger();

    @RegisterExtension
    static final TestRelay RELAY = new TestRelay();

    /** What a test does with its pair. */
    @FunctionalInterface
    private interface PairTest {
        void run(RawWebSocket a, RawWebSocket b) throws Exception;
    }

    /**
     * Runs {@code test} on a room of two raw clients, a and b, each past its welcome, and a past the news of b; both
     * are closed after it.
     */
    private static void inPair(PairTest test) throws Exception {
        String room = "frames-" + ROOMS.incrementAndGet();
        try (RawWebSocket a = RawWebSocket.join(RELAY.relay(), room, "a")) {
            assertThat(a.nextOfType("welcome").text()).contains("\"welcome\"");
            try (RawWebSocket b = RawWebSocket.join(RELAY.relay(), room, "b")) {
                assertThat(b.nextOfType("welcome").text()).contains("\"welcome\"");
                assertThat(a.nextOfType("peer-joined").text()).contains("\"peer\":\"b\"");
                test.run(a, b);
            }
        }
    }

    /** The relay closed a's connection with {@code code}, and b heard that a left. */
    private static void assertClosedAndLeft(RawWebSocket a, RawWebSocket b, int code) throws Exception {
        assertThat(a.nextOfType("never").closeCode()).isEqualTo(code);
        assertThat(b.nextOfType("peer-left").text()).contains("\"peer\":\"a\"");
    }

    @Test
    @DisplayName("a message in fragments arrives whole, characters split across fragments included")
    void fragments() throws Exception {
        inPair((a, b) -> {
            String sdp = "v=0 caf\u00e9 \u20ac \ud83d\ude00 ".repeat(40);
            // 7-byte fragments cut the 2-, 3- and 4-byte characters somewhere in the middle.
            a.sendFragmented("{\"type\":\"offer\",\"payload\":{\"sdp\":\"" + sdp + "\"}}", 7);
            String offer = b.nextOfType("offer").text();
            assertThat(TestClient.parse(offer).path("payload").path("sdp").asText())
                    .as("the SDP as sent, in one message")
                    .isEqualTo(sdp);
            assertThat(TestClient.parse(offer).path("from").asText()).isEqualTo("a");
        });
    }

    @Test
    @DisplayName("a message past the limit in fragments gets too-large, and the connection stays")
    void fragmentsPastTheLimit() throws Exception {
        inPair((a, b) -> {
            int limit = RELAY.relay().config().maxMessageBytes();
            a.sendFragmented("{\"type\":\"offer\",\"payload\":{\"sdp\":\"" + "a".repeat(limit) + "\"}}", 4096);
            assertThat(a.nextOfType("error").text()).contains("\"code\":\"too-large\"");
            a.sendText("{\"type\":\"candidate\",\"payload\":{\"n\":1}}");
            assertThat(b.nextOfType("candidate").text())
                    .as("the next message is forwarded: the too-large one is gone, the connection is not")
                    .contains("\"n\":1");
        });
    }

    @Test
    @DisplayName("a message of over 16 times the limit closes the connection (1009) without being read whole")
    void farPastTheLimit() throws Exception {
        inPair((a, b) -> {
            int limit = RELAY.relay().config().maxMessageBytes();
            byte[] part = "a".repeat(limit).getBytes(StandardCharsets.UTF_8);
            a.send(RawWebSocket.TEXT, false, "{\"type\":\"offer\",\"payload\":\"".getBytes(StandardCharsets.UTF_8));
            for (int i = 0; i < 17; i++) {
                a.send(RawWebSocket.CONTINUATION, false, part);
            }
            assertClosedAndLeft(a, b, 1009);
        });
    }

    @Test
    @DisplayName("a text frame that is not UTF-8 fails the connection (1007), as RFC 6455 asks, and the peer leaves")
    void notUtf8() throws Exception {
        inPair((a, b) -> {
            byte[] frame = "{\"type\":\"x-note\",\"payload\":\"..\"}".getBytes(StandardCharsets.UTF_8);
            frame[28] = (byte) 0xC3; // a 2-byte character's start ...
            frame[29] = (byte) 0x28; // ... and no continuation byte after it
            a.send(RawWebSocket.TEXT, true, frame);
            assertClosedAndLeft(a, b, 1007);
        });
    }

    @Test
    @DisplayName("a text frame carrying U+FFFD itself is valid UTF-8, and forwarded as sent")
    void replacementCharacterSent() throws Exception {
        inPair((a, b) -> {
            a.sendText("{\"type\":\"x-note\",\"payload\":\"\ufffd\"}");
            assertThat(TestClient.parse(b.nextOfType("x-note").text())
                            .path("payload")
                            .asText())
                    .isEqualTo("\ufffd");
        });
    }
}
