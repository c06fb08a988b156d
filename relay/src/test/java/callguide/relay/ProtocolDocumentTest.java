package callguide.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code relay/PROTOCOL.md} is the protocol other clients hold the relay to: its tables of error
 * codes and {@code peer-left} reasons must be the relay's own ({@link ProtocolCodes}), each code
 * carried by its documented HTTP status, and the relay must give every documented code and reason
 * over each transport the document does not exclude.
 */
@DisplayName("relay/PROTOCOL.md, held to the relay")
class ProtocolDocumentTest {
    private static final Path DOCUMENT = Path.of("PROTOCOL.md");
    /** Codes and reasons that exist on one transport only, as the document says ("... only"). */
    private static final Map<String, Set<String>> ONLY = Map.of(
            "forbidden", Set.of("polling"),
            "error", Set.of("websocket"));

    private static final List<String> TRANSPORTS = List.of("websocket", "polling");
    private static final AtomicInteger ROOMS = new AtomicInteger();
    private static Relay relay;

    @BeforeAll
    static void start() {
        // Small limits, so that every code and reason is quick to reach.
        relay = Relay.start(RelayConfig.defaults()
                .withPort(0)
                .withStunPort(-1)
                .withRateBurst(300)
                .withRatePerSecond(10)
                .withWebSocketTimeout(Duration.ofSeconds(1))
                .withPollingTimeout(Duration.ofSeconds(1))
                .withCaps(Caps.defaults().withMaxQueuedBytes(128 * 1024).withMailbox(10, 128 * 1024)));
    }

    @AfterAll
    static void stop() {
        relay.close();
    }

    private static String room() {
        return "doc-" + ROOMS.incrementAndGet();
    }

    /** The rows of the table under {@code heading}: first cell (without backticks) to the second. */
    static Map<String, String> table(String heading) throws IOException {
        String text = Files.readString(DOCUMENT);
        int start = text.indexOf("\n## " + heading + "\n");
        assertThat(start).as("PROTOCOL.md has a section '## %s'", heading).isNotNegative();
        int end = text.indexOf("\n## ", start + 1);
        Map<String, String> rows = new LinkedHashMap<>();
        Matcher row = Pattern.compile("(?m)^\\| `([a-z-]+)` \\| ([^|]+) \\|")
                .matcher(text.substring(start, end < 0 ? text.length() : end));
        while (row.find()) {
            rows.put(row.group(1), row.group(2).trim());
        }
        return rows;
    }

    @Test
    @DisplayName("documents exactly the relay's error codes, in the same words, each with the HTTP status the relay "
            + "answers it with")
    void errorCodes() throws IOException {
        Map<String, String> documented = table("Error codes");
        assertThat(documented.keySet())
                .as("the error codes in PROTOCOL.md against ProtocolCodes.ERROR_CODES")
                .containsExactlyInAnyOrderElementsOf(ProtocolCodes.ERROR_CODES);
        documented.forEach((code, status) -> assertThat(String.valueOf(new Refusal(code, "").httpStatus()))
                .as("the HTTP status PROTOCOL.md gives %s", code)
                .isEqualTo(status));
    }

    @Test
    @DisplayName("documents exactly the relay's peer-left reasons")
    void reasons() throws IOException {
        assertThat(table("peer-left reasons").keySet())
                .as("the peer-left reasons in PROTOCOL.md against ProtocolCodes.LEAVE_REASONS")
                .containsExactlyInAnyOrderElementsOf(ProtocolCodes.LEAVE_REASONS);
    }

    @Test
    @DisplayName("says which codes and reasons exist on one transport only, as this test assumes")
    void transportOnly() throws IOException {
        List<String> lines = Files.readAllLines(DOCUMENT);
        ONLY.forEach((name, transports) -> assertThat(lines.stream()
                        .filter(l -> l.startsWith("| `" + name + "` |"))
                        .findFirst())
                .as("PROTOCOL.md's row for %s says it exists over %s only", name, transports)
                .hasValueSatisfying(row -> assertThat(row)
                        .contains((transports.contains("polling") ? "long polling" : "WebSocket") + " only")));
    }

    static Stream<Arguments> codes() throws IOException {
        return pairs(table("Error codes").keySet());
    }

    static Stream<Arguments> leaveReasons() throws IOException {
        return pairs(table("peer-left reasons").keySet());
    }

    private static Stream<Arguments> pairs(Set<String> names) {
        List<Arguments> out = new ArrayList<>();
        for (String name : names) {
            for (String transport : TRANSPORTS) {
                if (ONLY.getOrDefault(name, Set.copyOf(TRANSPORTS)).contains(transport)) {
                    out.add(Arguments.of(name, transport));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} over {1}")
    @MethodSource("codes")
    @DisplayName("gives every documented error code over each transport")
    void givesCode(String code, String transport) throws Exception {
        JsonNode error = provoke(code, transport);
        assertThat(error.path("type").asText())
                .as("what provoking %s over %s gave", code, transport)
                .isEqualTo("error");
        assertThat(error.path("payload").path("code").asText())
                .as("the code provoked over %s", transport)
                .isEqualTo(code);
        assertThat(error.path("payload").path("message").asText())
                .as("the message says why")
                .isNotBlank();
    }

    @ParameterizedTest(name = "{0} over {1}")
    @MethodSource("leaveReasons")
    @DisplayName("gives every documented peer-left reason for a peer on each transport")
    void givesReason(String reason, String transport) throws Exception {
        String room = room();
        try (WsTestPeer witness = WsTestPeer.join(relay, room, "witness")) {
            witness.next("welcome");
            leave(reason, transport, room, witness);
            JsonNode left = witness.next("peer-left");
            assertThat(left.path("payload").path("peer").asText())
                    .as("who left")
                    .isEqualTo("leaver");
            assertThat(left.path("payload").path("reason").asText())
                    .as("why the %s peer left", transport)
                    .isEqualTo(reason);
        }
    }

    /** Makes the relay answer {@code code} to a peer on {@code transport}; the error envelope it answered. */
    private static JsonNode provoke(String code, String transport) throws Exception {
        String room = room();
        switch (code) {
            case "bad-json" -> {
                return refusal(transport, room, "hello");
            }
            case "bad-envelope" -> {
                return refusal(transport, room, "[]");
            }
            case "unknown-type" -> {
                return refusal(transport, room, "{\"type\":\"dance\"}");
            }
            case "too-large" -> {
                return refusal(transport, room, "{\"type\":\"offer\",\"payload\":\"" + "a".repeat(65 * 1024) + "\"}");
            }
            case "no-such-peer" -> {
                return refusal(transport, room, "{\"type\":\"offer\",\"to\":\"nobody\"}");
            }
            case "rate-limited" -> {
                try (TestClient sender = TestClient.join(transport, relay, room, "sender")) {
                    sender.next("welcome");
                    // Each frame takes a token (and is refused no-such-peer): a burst and a few more, until one is
                    // rate-limited.
                    for (int i = 0; i < relay.config().rateBurst() + 20; i++) {
                        TestClient.Answer answer = sender.sendFrame("{\"type\":\"x-n\"}");
                        if (answer.status() == 429) {
                            return answer.body();
                        }
                    }
                    return answerTo(sender, "{\"type\":\"x-n\"}", "rate-limited");
                }
            }
            case "room-full", "peer-taken" -> {
                try (TestClient a = TestClient.join("websocket", relay, room, "a");
                        TestClient b = TestClient.join("polling", relay, room, "b");
                        TestClient third =
                                TestClient.join(transport, relay, room, code.equals("room-full") ? "c" : "b")) {
                    return third.next();
                }
            }
            case "bad-id" -> {
                try (TestClient bad = TestClient.join(transport, relay, room, "x".repeat(65))) {
                    return bad.next();
                }
            }
            case "forbidden" -> {
                try (PollingTestPeer peer = PollingTestPeer.join(relay, room, "peer")) {
                    return peer.sendFrame("{\"type\":\"x-n\"}", "not-the-token").body();
                }
            }
            case "mailbox-full" -> {
                try (PollingTestPeer lazy = PollingTestPeer.joinSilent(relay, room, "lazy");
                        TestClient sender = TestClient.join(transport, relay, room, "sender")) {
                    sender.next("welcome");
                    for (int i = 0; i < relay.config().caps().mailboxMessages() - 2; i++) {
                        sender.sendFrame("{\"type\":\"x-n\"}"); // welcome and peer-joined are in the mailbox already
                    }
                    return answerTo(sender, "{\"type\":\"x-n\"}", "mailbox-full");
                }
            }
            case "address-limit" -> {
                // A relay of its own where one address may hold one room: the second room this address opens is
                // refused.
                try (Relay small = Relay.start(RelayConfig.defaults()
                                .withPort(0)
                                .withStunPort(-1)
                                .withCaps(Caps.defaults().withRoomsPerAddress(1)));
                        TestClient first = TestClient.join(transport, small, room, "a");
                        TestClient second = TestClient.join(transport, small, room + "-more", "a")) {
                    assertThat(first.next().path("type").asText())
                            .as("the address's first room")
                            .isEqualTo("welcome");
                    return second.next();
                }
            }
            case "rejoin-refused" -> {
                try (TestClient partner = TestClient.join("websocket", relay, room, "partner")) {
                    WsTestPeer gone = WsTestPeer.join(relay, room, "held");
                    gone.abort(); // its process died: the id is held for its rejoin secret
                    partner.next("peer-left");
                    try (TestClient taker = TestClient.join(transport, relay, room, "held")) {
                        return taker.next();
                    }
                }
            }
            default ->
                throw new AssertionError("PROTOCOL.md documents " + code + " but no test here provokes it: add one");
        }
    }

    /** A sender in a room with a partner sends {@code frame}; the refusal it gets. */
    private static JsonNode refusal(String transport, String room, String frame) throws Exception {
        try (TestClient sender = TestClient.join(transport, relay, room, "sender");
                TestClient partner = TestClient.join("websocket", relay, room, "partner")) {
            sender.next(2);
            return sender.refusalOf(frame).body();
        }
    }

    /**
     * Sends {@code frame}; the answer: on polling the POST's body, on a WebSocket the next error with {@code code}
     * (others skipped).
     */
    private static JsonNode answerTo(TestClient sender, String frame, String code) throws Exception {
        TestClient.Answer answer = sender.sendFrame(frame);
        if (answer.status() != 0) {
            return answer.body();
        }
        while (true) {
            JsonNode error = sender.next("error");
            if (error.path("payload").path("code").asText().equals(code)) {
                return error;
            }
        }
    }

    /** Makes the peer "leaver" on {@code transport} leave {@code room} for {@code reason}. */
    private static void leave(String reason, String transport, String room, WsTestPeer witness) throws Exception {
        switch (reason) {
            case "closed" -> TestClient.join(transport, relay, room, "leaver").close();
            case "error" -> WsTestPeer.join(relay, room, "leaver").abort();
            case "timeout" -> {
                if (transport.equals("websocket")) {
                    Attacks.DeafSocket.open(relay, room, "leaver"); // answers no ping: silent for the 1 s timeout
                } else {
                    PollingTestPeer.joinSilent(relay, room, "leaver");
                }
            }
            case "slow" -> {
                if (transport.equals("websocket")) {
                    Attacks.DeafSocket.open(relay, room, "leaver");
                } else {
                    PollingTestPeer.joinSilent(relay, room, "leaver");
                }
                witness.next("peer-joined");
                String big = "x".repeat(60_000); // 15 MB in all: past the socket's buffers and the 128 KiB cap
                for (int i = 0;
                        i < 250
                                && witness.inbox().stream()
                                        .noneMatch(m -> m.path("type").asText().equals("peer-left"));
                        i++) {
                    witness.send("x-big", Map.of("data", big));
                }
            }
            case "flood" -> {
                TestClient leaver = TestClient.join(transport, relay, room, "leaver");
                leaver.next("welcome");
                for (int i = 0; i < 4 * relay.config().rateBurst(); i++) {
                    try {
                        if (leaver.sendFrame("{\"type\":\"x-flood\",\"to\":\"nobody\"}")
                                        .status()
                                == 403) {
                            break; // dropped
                        }
                    } catch (Exception socketClosed) {
                        break;
                    }
                }
            }
            default ->
                throw new AssertionError(
                        "PROTOCOL.md documents the reason " + reason + " but no test here gives it: add one");
        }
    }
}
