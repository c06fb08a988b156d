package callguide.relay;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingDeque;

/**
 * A relay peer on HTTP long polling with the JDK's HttpClient. {@link #join} joins and keeps one
 * poll open at a time (asynchronously, no thread held); {@link #joinSilent} joins and never polls,
 * for tests that poll by hand or play a peer gone silent.
 */
final class PollingTestPeer implements TestClient {
    private final String peer;
    /** {@link TestClient#HTTP}, or for a TLS relay a client pinning its certificate. */
    private final HttpClient http;

    final URI base;
    /** The join's status (201, or 409 / 400 / ...) and its body: the token, or the error. */
    final int joinStatus;

    final JsonNode joinBody;
    final String token;
    private final BlockingDeque<JsonNode> inbox = new LinkedBlockingDeque<>();
    /** Anything a poll response held that the protocol forbids: a seq at or below the poll's after, or out of order. */
    final List<String> violations = new CopyOnWriteArrayList<>();

    private volatile boolean polling;
    private volatile boolean left;
    private long after;

    private PollingTestPeer(Relay relay, String room, String peer) throws Exception {
        this(relay, room, peer, null);
    }

    /** {@code rejoin}: the rejoin secret the join presents ({@code ?rejoin=}), or null. */
    private PollingTestPeer(Relay relay, String room, String peer, String rejoin) throws Exception {
        this.peer = peer;
        this.http = TestClient.http(relay);
        this.base = URI.create(relay.url() + "/rooms/" + room + "/peers/" + peer);
        URI join = rejoin == null ? base : URI.create(base + "?rejoin=" + rejoin);
        HttpResponse<String> joined = http.send(
                HttpRequest.newBuilder(join)
                        .timeout(WAIT)
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        this.joinStatus = joined.statusCode();
        this.joinBody = TestClient.parse(joined.body());
        this.token = joinStatus == 201 ? joinBody.path("token").asText() : null;
        if (token == null) {
            left = true;
            if (joinBody != null) {
                inbox.add(joinBody); // the refusal reads like a WebSocket's error message
            }
        }
    }

    /** Joins and keeps polling (wait 5 s) until {@link #leave} or {@link #close}. */
    static PollingTestPeer join(Relay relay, String room, String peer) throws Exception {
        PollingTestPeer p = new PollingTestPeer(relay, room, peer);
        if (p.token != null) {
            p.polling = true;
            p.pollNext();
        }
        return p;
    }

    /** Joins presenting the rejoin secret {@code rejoin}, and keeps polling. */
    static PollingTestPeer join(Relay relay, String room, String peer, String rejoin) throws Exception {
        PollingTestPeer p = new PollingTestPeer(relay, room, peer, rejoin);
        if (p.token != null) {
            p.polling = true;
            p.pollNext();
        }
        return p;
    }

    /** Joins and never polls. */
    static PollingTestPeer joinSilent(Relay relay, String room, String peer) throws Exception {
        return new PollingTestPeer(relay, room, peer);
    }

    private void pollNext() {
        if (!polling) {
            return;
        }
        pollAsync(after, 5, token).whenComplete((response, error) -> {
            if (error != null || !polling) {
                if (polling) {
                    pollNext(); // a broken connection: ask again from the same point
                }
                return;
            }
            if (response.statusCode() != 200) {
                inbox.add(TestClient.JSON
                        .createObjectNode()
                        .put("type", "poll-refused")
                        .put("status", response.statusCode())
                        .set("body", TestClient.parse(response.body())));
                polling = false;
                return;
            }
            accept(TestClient.parse(response.body()));
            pollNext();
        });
    }

    /** Takes a poll's messages: each must be above the last seq taken, in increasing order. */
    private synchronized void accept(JsonNode body) {
        for (JsonNode message : body.path("messages")) {
            long seq = message.path("seq").asLong();
            if (seq <= after) {
                violations.add(peer + " got seq " + seq + " in answer to a poll after " + after);
                continue;
            }
            after = seq;
            inbox.add(message);
        }
    }

    /** One poll: {@code GET .../messages?after=&wait=}, with {@code withToken} as the Bearer token (none if null). */
    CompletableFuture<HttpResponse<String>> pollAsync(long after, double waitSeconds, String withToken) {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create(base + "/messages?after=" + after + "&wait=" + waitSeconds))
                .timeout(Duration.ofSeconds((long) waitSeconds + 10))
                .GET();
        if (withToken != null) {
            request.header("Authorization", "Bearer " + withToken);
        }
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> poll(long after, double waitSeconds, String withToken) throws Exception {
        return pollAsync(after, waitSeconds, withToken)
                .get(WAIT.toSeconds() + (long) waitSeconds, java.util.concurrent.TimeUnit.SECONDS);
    }

    /** A poll with this peer's own token, answered with its messages. */
    List<JsonNode> pollMessages(long after, double waitSeconds) throws Exception {
        HttpResponse<String> response = poll(after, waitSeconds, token);
        if (response.statusCode() != 200) {
            throw new AssertionError(
                    peer + "'s poll expected 200 but got " + response.statusCode() + " " + response.body());
        }
        List<JsonNode> messages = new java.util.ArrayList<>();
        TestClient.parse(response.body()).path("messages").forEach(messages::add);
        return messages;
    }

    @Override
    public String transport() {
        return "polling";
    }

    @Override
    public String peer() {
        return peer;
    }

    @Override
    public BlockingDeque<JsonNode> inbox() {
        return inbox;
    }

    @Override
    public Answer sendFrame(String frame) throws Exception {
        return post(HttpRequest.BodyPublishers.ofString(frame), token);
    }

    Answer sendFrame(String frame, String withToken) throws Exception {
        return post(HttpRequest.BodyPublishers.ofString(frame), withToken);
    }

    Answer sendBytes(byte[] body) throws Exception {
        return post(HttpRequest.BodyPublishers.ofByteArray(body), token);
    }

    private Answer post(HttpRequest.BodyPublisher body, String withToken) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/messages"))
                .timeout(WAIT)
                .header("Content-Type", "application/json")
                .POST(body);
        if (withToken != null) {
            request.header("Authorization", "Bearer " + withToken);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), TestClient.parse(response.body()));
    }

    /** {@code DELETE} with {@code withToken}; the HTTP status. */
    int delete(String withToken) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(base).timeout(WAIT).DELETE();
        if (withToken != null) {
            request.header("Authorization", "Bearer " + withToken);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    /** Stops polling and leaves: the HTTP status of the DELETE. */
    int leave() throws Exception {
        polling = false;
        left = true;
        return delete(token);
    }

    /** Stops polling without a word (the peer went silent). */
    void stopPolling() {
        polling = false;
    }

    @Override
    public void close() {
        polling = false;
        if (!left) {
            left = true;
            try {
                delete(token);
            } catch (Exception relayAlreadyGone) {
                // nothing to leave
            }
        }
    }
}
