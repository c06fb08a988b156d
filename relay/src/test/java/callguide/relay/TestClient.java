package callguide.relay;

import callguide.kit.signal.transport.RelayHttp;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.TimeUnit;

/**
 * A peer of the relay as the tests see it, whichever transport carries it ({@link WsTestPeer},
 * {@link PollingTestPeer}): it sends any frame, valid or not, and collects every message the
 * relay puts on its stream, in order. Every wait is bounded by {@link #WAIT}.
 */
interface TestClient extends AutoCloseable {
    ObjectMapper JSON = new ObjectMapper();
    Duration WAIT = Duration.ofSeconds(10);
    HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    /**
     * What the relay answered a frame: on polling the HTTP status and body (null when empty); on a WebSocket 0 and
     * null.
     */
    record Answer(int status, JsonNode body) {
        String code() {
            return body == null ? null : body.path("payload").path("code").asText(null);
        }
    }

    /** {@code websocket} or {@code polling}. */
    String transport();

    String peer();

    /** Every message the relay sent this peer and the test has not taken yet, in arrival order. */
    BlockingDeque<JsonNode> inbox();

    /** Sends one frame as it is. */
    Answer sendFrame(String frame) throws Exception;

    default Answer send(String type, Object payload) throws Exception {
        return sendFrame(JSON.writeValueAsString(Map.of("type", type, "payload", payload)));
    }

    default Answer sendTo(String type, String to, Object payload) throws Exception {
        return sendFrame(JSON.writeValueAsString(Map.of("type", type, "to", to, "payload", payload)));
    }

    /**
     * The error the relay gives back for {@code frame}: on a WebSocket the next message on this
     * peer's stream, on polling the HTTP response to the POST.
     */
    default Answer refusalOf(String frame) throws Exception {
        Answer answer = sendFrame(frame);
        return answer.status() != 0 ? answer : new Answer(0, next());
    }

    /** The next message, whatever its type. */
    default JsonNode next() throws InterruptedException {
        JsonNode message = inbox().poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (message == null) {
            throw new AssertionError(transport() + " peer " + peer() + " expected a message but received nothing in "
                    + WAIT.toSeconds() + " s");
        }
        return message;
    }

    /** The next {@code n} messages. */
    default List<JsonNode> next(int n) throws InterruptedException {
        List<JsonNode> messages = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            messages.add(next());
        }
        return messages;
    }

    /** The next message of {@code type}, skipping any other. */
    default JsonNode next(String type) throws InterruptedException {
        long end = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < end) {
            JsonNode message = inbox().poll(Math.max(1, (end - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
            if (message != null && type.equals(message.path("type").asText())) {
                return message;
            }
        }
        throw new AssertionError(transport() + " peer " + peer() + " expected a " + type + " but none came in "
                + WAIT.toSeconds() + " s");
    }

    /** True when nothing arrives for {@code quiet} (a bounded wait for silence); what did arrive stays in the inbox. */
    default boolean quietFor(Duration quiet) throws InterruptedException {
        JsonNode message = inbox().poll(quiet.toMillis(), TimeUnit.MILLISECONDS);
        if (message != null) {
            inbox().addFirst(message);
        }
        return message == null;
    }

    static TestClient join(String transport, Relay relay, String room, String peer) throws Exception {
        return switch (transport) {
            case "websocket" -> WsTestPeer.join(relay, room, peer);
            case "polling" -> PollingTestPeer.join(relay, room, peer);
            default -> throw new IllegalArgumentException(transport);
        };
    }

    /**
     * The client for {@code relay}: {@link #HTTP} for plain HTTP; for a TLS relay, the kit's
     * client pinning its certificate (as a Java peer given {@code --fingerprint} connects).
     */
    static HttpClient http(Relay relay) {
        return relay.fingerprint() == null ? HTTP : RelayHttp.client(pinned(relay));
    }

    /** {@code https://HOST:PORT#sha256=FP} for a TLS relay, its plain URL otherwise. */
    static URI pinned(Relay relay) {
        URI url = URI.create(relay.url());
        return relay.fingerprint() == null ? url : RelayHttp.pin(url, relay.fingerprint());
    }

    /** {@code ws://} or {@code wss://}, matching the relay's http or https. */
    static String webSocketUrl(Relay relay) {
        return relay.url().replaceFirst("^http", "ws");
    }

    /** {@code GET /health} as JSON. */
    static JsonNode health(Relay relay) throws Exception {
        HttpResponse<String> response = http(relay)
                .send(
                        HttpRequest.newBuilder(URI.create(relay.url() + "/health"))
                                .timeout(WAIT)
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body());
    }

    static JsonNode parse(String text) {
        try {
            return text == null || text.isEmpty() ? null : JSON.readTree(text);
        } catch (Exception notJson) {
            return JSON.createObjectNode().put("type", "unreadable").put("text", text);
        }
    }
}
