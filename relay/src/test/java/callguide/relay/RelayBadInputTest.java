package callguide.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("The relay given bad input")
class RelayBadInputTest {
    private static final AtomicInteger ROOMS = new AtomicInteger();
    private static final String OVER_64_KIB =
            "{\"type\":\"offer\",\"payload\":{\"sdp\":\"" + "a".repeat(64 * 1024) + "\"}}";

    @RegisterExtension
    static final TestRelay RELAY = new TestRelay();

    private static String room() {
        return "bad-" + ROOMS.incrementAndGet();
    }

    /** A bad frame, the error code design.md names for it, and the HTTP status that carries it on polling. */
    static Stream<Arguments> badFrames() {
        Object[][] cases = {
            {"not JSON", "hello", "bad-json", 400},
            {"truncated JSON", "{\"type\":\"offer\"", "bad-json", 400},
            {"JSON followed by garbage", "{\"type\":\"offer\"} xyz", "bad-json", 400},
            {"an empty message", "", "bad-json", 400},
            {"a JSON array", "[{\"type\":\"offer\"}]", "bad-envelope", 400},
            {"a JSON string", "\"offer\"", "bad-envelope", 400},
            {"a JSON number", "42", "bad-envelope", 400},
            {"JSON null", "null", "bad-envelope", 400},
            {"no type", "{\"payload\":{\"type\":\"offer\",\"sdp\":\"v=0\"}}", "bad-envelope", 400},
            {"a null type", "{\"type\":null}", "bad-envelope", 400},
            {"a type that is not a string", "{\"type\":7}", "bad-envelope", 400},
            {"a to that is not a string", "{\"type\":\"offer\",\"to\":[\"partner\"]}", "bad-envelope", 400},
            {"an unknown type", "{\"type\":\"dance\"}", "unknown-type", 400},
            {"a type only the relay sends", "{\"type\":\"welcome\",\"payload\":{}}", "unknown-type", 400},
            {"a bare x- prefix", "{\"type\":\"x-\"}", "unknown-type", 400},
            {"a type in the wrong case", "{\"type\":\"OFFER\"}", "unknown-type", 400},
            {"over 64 KiB", OVER_64_KIB, "too-large", 413},
            {"a to naming nobody", "{\"type\":\"offer\",\"to\":\"nobody\",\"payload\":{}}", "no-such-peer", 404},
            {
                "a to naming the sender itself",
                "{\"type\":\"offer\",\"to\":\"sender\",\"payload\":{}}",
                "no-such-peer",
                404
            },
            {
                "an unknown type to nobody (validation before routing)",
                "{\"type\":\"dance\",\"to\":\"nobody\"}",
                "unknown-type",
                400
            },
            {
                "over 64 KiB to nobody (size before routing)",
                OVER_64_KIB.replace("{\"type\"", "{\"to\":\"nobody\",\"type\""),
                "too-large",
                413
            },
        };
        List<Arguments> all = new ArrayList<>();
        for (String transport : List.of("websocket", "polling")) {
            for (Object[] c : cases) {
                all.add(Arguments.of(transport, c[0], c[1], c[2], c[3]));
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "over {0}: {1} is {3}")
    @MethodSource("badFrames")
    @DisplayName(
            "answers each bad frame with its error code, keeps the sender usable, and another room notices nothing")
    void badFrame(String transport, String what, String frame, String code, int httpStatus) throws Exception {
        String room = room();
        String quiet = room + "-bystanders";
        try (TestClient sender = TestClient.join(transport, RELAY.relay(), room, "sender");
                TestClient partner = TestClient.join("websocket", RELAY.relay(), room, "partner");
                TestClient byA = TestClient.join("websocket", RELAY.relay(), quiet, "sender");
                TestClient byB = TestClient.join("polling", RELAY.relay(), quiet, "partner")) {
            sender.next(2);
            partner.next(1);
            byA.next(2);
            byB.next(1);

            TestClient.Answer answer = sender.refusalOf(frame);
            assertThat(answer.body().path("type").asText())
                    .as("%s over %s is answered with an error", what, transport)
                    .isEqualTo("error");
            assertThat(answer.code())
                    .as("the error code for %s over %s", what, transport)
                    .isEqualTo(code);
            assertThat(answer.body().path("payload").path("message").asText())
                    .as("the error for %s says why", what)
                    .isNotBlank();
            if (transport.equals("polling")) {
                assertThat(answer.status()).as("the HTTP status for %s", what).isEqualTo(httpStatus);
            } else {
                assertThat(answer.body().path("seq").asLong())
                        .as("the WebSocket error takes the sender's next seq (after welcome, peer-joined)")
                        .isEqualTo(3);
            }

            assertThat(sender.send("offer", Map.of("type", "offer", "sdp", "v=0 after"))
                            .status())
                    .as("the sender's next good message is accepted (202 on polling, 0 = sent on a WebSocket)")
                    .isIn(0, 202);
            JsonNode offer = partner.next();
            assertThat(offer.path("type").asText() + " "
                            + offer.path("payload").path("sdp").asText())
                    .as("the partner's next message is the good offer: the bad frame reached nobody")
                    .isEqualTo("offer v=0 after");
            assertThat(byA.quietFor(Duration.ofMillis(50)) && byB.quietFor(Duration.ofMillis(50)))
                    .as("peers in another room with the same ids notice nothing")
                    .isTrue();
            byA.send("x-ping", Map.of());
            assertThat(byB.next().path("type").asText())
                    .as("the other room still works")
                    .isEqualTo("x-ping");
        }
    }

    @Test
    @DisplayName("answers a binary WebSocket frame with bad-json and keeps the connection")
    void binaryFrame() throws Exception {
        String room = room();
        try (WsTestPeer sender = WsTestPeer.join(RELAY.relay(), room, "sender");
                TestClient partner = TestClient.join("polling", RELAY.relay(), room, "partner")) {
            sender.next(2);
            partner.next(1);
            sender.sendBinary("{\"type\":\"offer\"}".getBytes(StandardCharsets.UTF_8));
            JsonNode error = sender.next();
            assertThat(error.path("payload").path("code").asText())
                    .as("a binary frame is not a JSON text message")
                    .isEqualTo("bad-json");
            sender.send("x-after", Map.of());
            assertThat(partner.next().path("type").asText())
                    .as("the partner's next message is the good one")
                    .isEqualTo("x-after");
        }
    }

    @ParameterizedTest(name = "over {0}")
    @ValueSource(strings = {"websocket", "polling"})
    @DisplayName("answers a message to the other peer before anyone else joined with no-such-peer")
    void alone(String transport) throws Exception {
        try (TestClient sender = TestClient.join(transport, RELAY.relay(), room(), "sender")) {
            sender.next("welcome");
            TestClient.Answer answer = sender.refusalOf("{\"type\":\"offer\",\"payload\":{}}");
            assertThat(answer.code()).as("nobody else in the room yet").isEqualTo("no-such-peer");
            if (transport.equals("polling")) {
                assertThat(answer.status()).as("no-such-peer on polling").isEqualTo(404);
            }
        }
    }

    /** A request near the polling paths that they do not serve: what Javalin answers any path it does not serve. */
    @ParameterizedTest(name = "{0} {1}")
    @org.junit.jupiter.params.provider.CsvSource({
        "PUT, /rooms/ROOM/peers/a/messages",
        "GET, /rooms/ROOM/peers/a",
        "DELETE, /rooms/ROOM/peers/a/messages",
        "PATCH, /rooms/ROOM/peers/a",
        "POST, /rooms/ROOM/peers/a/messages/more",
        "GET, /rooms/ROOM/peers/a/other",
        "POST, /rooms//peers/a",
        "POST, /rooms/ROOM/peers/",
        "POST, /rooms/ROOM/people/a"
    })
    @DisplayName("answers a wrong method or path next to the polling paths 404, and the peer there stays")
    void notServed(String method, String template) throws Exception {
        String room = room();
        try (PollingTestPeer peer = PollingTestPeer.joinSilent(RELAY.relay(), room, "a")) {
            String path = template.replace("ROOM", room);
            RawHttp.Response answer =
                    RawHttp.send(RELAY.relay(), method, path, Map.of("Authorization", "Bearer " + peer.token));
            assertThat(answer.status()).as("%s %s", method, path).isEqualTo(404);
            assertThat(answer.body()).isEqualTo("Endpoint " + method + " " + path + " not found");
            assertThat(peer.pollMessages(0, 0))
                    .as("the peer is still there, and polls")
                    .extracting(m -> m.path("type").asText())
                    .containsExactly("welcome");
        }
    }

    @Test
    @DisplayName("serves the polling paths with a trailing slash too, and a token with spaces around, as before")
    void trailingSlash() throws Exception {
        String room = room();
        RawHttp.Response join = RawHttp.send(RELAY.relay(), "POST", "/rooms/" + room + "/peers/a/", Map.of());
        assertThat(join.status()).isEqualTo(201);
        String token = TestClient.parse(join.body()).path("token").asText();
        assertThat(token)
                .as("43 characters of URL-safe Base64: 32 random bytes")
                .matches("[A-Za-z0-9_-]{43}");
        RawHttp.Response poll = RawHttp.send(
                RELAY.relay(),
                "GET",
                "/rooms/" + room + "/peers/a/messages/?after=0",
                Map.of("Authorization", "Bearer " + token));
        assertThat(poll.status()).isEqualTo(200);
        assertThat(poll.body()).contains("\"type\":\"welcome\"");
        assertThat(RawHttp.send(
                                RELAY.relay(),
                                "DELETE",
                                "/rooms/" + room + "/peers/a/",
                                Map.of("Authorization", "Bearer  " + token + " ")) // spaces around: trimmed
                        .status())
                .isEqualTo(204);
    }

    @Test
    @DisplayName("takes a chunked message, and answers one past the limit 413 too-large")
    void chunkedBodies() throws Exception {
        String room = room();
        try (PollingTestPeer a = PollingTestPeer.joinSilent(RELAY.relay(), room, "a");
                PollingTestPeer b = PollingTestPeer.joinSilent(RELAY.relay(), room, "b")) {
            String note = "{\"type\":\"x-note\",\"payload\":{\"n\":7}}";
            RawHttp.Response sent =
                    RawHttp.exchange(RELAY.relay(), null, chunked(a, List.of(note.substring(0, 9), note.substring(9))));
            assertThat(sent.status()).isEqualTo(202);
            assertThat(b.pollMessages(1, 5))
                    .extracting(m -> m.path("payload").path("n").asInt())
                    .containsExactly(7);
            String half = "{\"type\":\"x-note\",\"payload\":{\"pad\":\"" + "a".repeat(32 * 1024);
            RawHttp.Response tooLarge = RawHttp.exchange(RELAY.relay(), null, chunked(a, List.of(half, half, "\"}}")));
            assertThat(tooLarge.status()).isEqualTo(413);
            assertThat(tooLarge.code()).isEqualTo("too-large");
        }
    }

    /** A POST of a message from {@code peer} whose body is {@code chunks}, chunked. */
    private static String chunked(PollingTestPeer peer, List<String> chunks) {
        StringBuilder request = new StringBuilder("POST " + peer.base.getPath() + "/messages HTTP/1.1\r\n"
                + "Host: " + RELAY.relay().config().host() + ":" + RELAY.relay().port() + "\r\n"
                + "Authorization: Bearer " + peer.token + "\r\n"
                + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
        for (String chunk : chunks) {
            request.append(Integer.toHexString(chunk.length()))
                    .append("\r\n")
                    .append(chunk)
                    .append("\r\n");
        }
        return request.append("0\r\n\r\n").toString();
    }

    @Test
    @DisplayName("answers a bad after or wait on a poll with 400 bad-envelope")
    void badPollParameters() throws Exception {
        try (PollingTestPeer peer = PollingTestPeer.joinSilent(RELAY.relay(), room(), "sender")) {
            for (String query : List.of("after=-1", "after=abc", "after=1&wait=soon", "after=0&wait=-5")) {
                HttpResponse<String> response = TestClient.HTTP.send(
                        java.net.http.HttpRequest.newBuilder(java.net.URI.create(peer.base + "/messages?" + query))
                                .header("Authorization", "Bearer " + peer.token)
                                .timeout(TestClient.WAIT)
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode())
                        .as("a poll with %s answers 400", query)
                        .isEqualTo(400);
                assertThat(TestClient.parse(response.body())
                                .path("payload")
                                .path("code")
                                .asText())
                        .as("a poll with %s", query)
                        .isEqualTo("bad-envelope");
            }
            assertThat(peer.pollMessages(0, 0))
                    .as("the peer still polls normally")
                    .extracting(m -> m.path("type").asText())
                    .containsExactly("welcome");
        }
    }

    @ParameterizedTest(name = "over {0}")
    @ValueSource(strings = {"websocket", "polling"})
    @DisplayName("stops a flood beyond the rate burst with rate-limited, lets the burst through, and lets the sender "
            + "talk again later")
    void flood(String transport) throws Exception {
        String room = room();
        int burst = RELAY.relay().config().rateBurst();
        try (TestClient sender = TestClient.join(transport, RELAY.relay(), room, "sender");
                TestClient partner = TestClient.join("websocket", RELAY.relay(), room, "partner");
                TestClient byA = TestClient.join("websocket", RELAY.relay(), room + "-by", "a");
                TestClient byB = TestClient.join("websocket", RELAY.relay(), room + "-by", "b")) {
            sender.next(2);
            partner.next(1);
            byA.next(2);
            byB.next(1);
            // Half a burst beyond the burst: refused, but not so long that the sender counts as a flooder and is
            // disconnected.
            int sent = burst + burst / 2;
            int refusedOverHttp = 0;
            for (int i = 0; i < sent; i++) {
                TestClient.Answer answer = sender.sendFrame("{\"type\":\"x-flood\",\"payload\":{\"n\":" + i + "}}");
                if (answer.status() == 429) {
                    refusedOverHttp++;
                    assertThat(answer.code())
                            .as("a 429's body is a rate-limited error")
                            .isEqualTo("rate-limited");
                } else if (answer.status() != 0) {
                    assertThat(answer.status())
                            .as("a flood message is either accepted (202) or refused (429)")
                            .isEqualTo(202);
                }
            }
            int delivered = countUntilQuiet(partner, "x-flood");
            int refused = transport.equals("polling") ? refusedOverHttp : countUntilQuiet(sender, "error");
            assertThat(delivered)
                    .as("at least the burst of %d gets through", burst)
                    .isGreaterThanOrEqualTo(burst);
            assertThat(refused)
                    .as("a flood of %d beyond the burst of %d is partly refused with rate-limited", sent, burst)
                    .isPositive();
            assertThat(delivered + refused)
                    .as("every flood message is either delivered or refused, once")
                    .isEqualTo(sent);
            assertThat(byB.quietFor(Duration.ofMillis(50)))
                    .as("the other room notices nothing of the flood")
                    .isTrue();

            // The bucket refills (100 a second by default): within a bounded time a message gets through again.
            await().atMost(Duration.ofSeconds(5))
                    .pollInterval(Duration.ofMillis(50))
                    .untilAsserted(() -> {
                        TestClient.Answer answer = sender.send("x-after", Map.of());
                        if (transport.equals("polling")) {
                            assertThat(answer.status())
                                    .as("after the flood a message is accepted again")
                                    .isEqualTo(202);
                        }
                        JsonNode next = partner.inbox()
                                .poll(300, TimeUnit.MILLISECONDS); // a refused probe is simply tried again
                        assertThat(next)
                                .as("after the flood the partner receives the next message")
                                .isNotNull();
                        assertThat(next.path("type").asText())
                                .as("after the flood the partner receives the next message")
                                .isEqualTo("x-after");
                    });
        }
    }

    /** Takes messages until none comes for a while; how many were of {@code type} (every one must be). */
    private static int countUntilQuiet(TestClient client, String type) throws InterruptedException {
        int count = 0;
        JsonNode message;
        while ((message = client.inbox().poll(500, TimeUnit.MILLISECONDS)) != null) {
            assertThat(message.path("type").asText())
                    .as("%s receives only %s messages here", client.peer(), type)
                    .isEqualTo(type);
            if (type.equals("error")) {
                assertThat(message.path("payload").path("code").asText())
                        .as("every error of a flood is rate-limited")
                        .isEqualTo("rate-limited");
            }
            count++;
        }
        return count;
    }

    @Test
    @Timeout(60)
    @DisplayName("survives a few thousand random and mutated frames over both transports, after which a call in "
            + "another room completes in order")
    void fuzz() throws Exception {
        long seed = Long.getLong("fuzz.seed", System.nanoTime());
        System.out.println("RelayBadInputTest.fuzz seed: " + seed + " (rerun with -Dfuzz.seed=" + seed + ")");
        Random random = new Random(seed);
        String room = room();
        int wsFrames = 2000;
        int pollFrames = 1000;
        List<String> frames = new ArrayList<>();
        List<Boolean> rawBytes = new ArrayList<>();
        for (int i = 0; i < wsFrames + pollFrames; i++) {
            frames.add(fuzzFrame(random));
            rawBytes.add(random.nextInt(10) == 0);
        }
        ExecutorService posts = Executors.newFixedThreadPool(8);
        // A relay of its own with a rate limit the fuzzers never reach: every frame counts against it, and
        // this test is about what the frames hold, not how fast they come (RelayBoundedQueuesTest is).
        try (Relay relay = Relay.start(
                        RelayConfig.defaults().withPort(0).withStunPort(-1).withRateBurst(100_000));
                WsTestPeer wsFuzzer = WsTestPeer.join(relay, room, "fuzz-ws");
                PollingTestPeer pollFuzzer = PollingTestPeer.join(relay, room, "fuzz-poll")) {
            CompletableFuture<Void> overWs = CompletableFuture.runAsync(() -> {
                for (String frame : frames.subList(0, wsFrames)) {
                    try {
                        wsFuzzer.sendFrame(frame);
                    } catch (Exception e) {
                        throw new AssertionError("the relay stopped taking WebSocket frames: " + e, e);
                    }
                }
            });
            List<CompletableFuture<Integer>> overPolling = new ArrayList<>();
            for (int i = wsFrames; i < wsFrames + pollFrames; i++) {
                String frame = frames.get(i);
                boolean raw = rawBytes.get(i);
                overPolling.add(CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                return raw
                                        ? pollFuzzer
                                                .sendBytes(randomBytes(frame.length()))
                                                .status()
                                        : pollFuzzer.sendFrame(frame).status();
                            } catch (Exception e) {
                                throw new AssertionError("a fuzz POST failed: " + e, e);
                            }
                        },
                        posts));
            }
            assertThat(overWs)
                    .as("the relay takes every fuzz frame over the WebSocket")
                    .succeedsWithin(Duration.ofSeconds(30));
            for (CompletableFuture<Integer> post : overPolling) {
                assertThat(post).as("every fuzz POST is answered").succeedsWithin(Duration.ofSeconds(30));
                assertThat(post.join())
                        .as("every fuzz POST is answered 202 or a 4xx refusal, never a 5xx")
                        .isIn(202, 400, 404, 413, 429);
            }
            // Every WebSocket frame is answered exactly once: an error to the fuzzer, or a delivery to the other peer.
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(wsFuzzer.inbox().stream()
                                            .filter(m -> m.path("type").asText().equals("error"))
                                            .count()
                                    + pollFuzzer.inbox().stream()
                                            .filter(m -> m.path("from").asText().equals("fuzz-ws"))
                                            .count())
                            .as("errors to the WebSocket fuzzer plus its frames delivered to the other peer")
                            .isEqualTo(wsFrames));
            assertThat(wsFuzzer.closed).as("the fuzzed WebSocket is still open").isNotDone();
            assertThat(pollFuzzer.violations)
                    .as("the fuzzed polling peer's polls broke no protocol rule")
                    .isEmpty();
            assertThat(TestClient.health(relay).path("status").asText())
                    .as("/health still answers ok after the fuzz")
                    .isEqualTo("ok");
            call(relay, "websocket", "polling");
            call(relay, "polling", "websocket");
        } finally {
            posts.shutdownNow();
        }
    }

    /** A normal exchange in a fresh room: offer, answer, 10 candidates each way; every message delivered, in order. */
    private static void call(Relay relay, String callerTransport, String calleeTransport) throws Exception {
        String room = room();
        try (TestClient caller = TestClient.join(callerTransport, relay, room, "caller");
                TestClient callee = TestClient.join(calleeTransport, relay, room, "callee")) {
            caller.next(2);
            callee.next(1);
            caller.send("offer", Map.of("type", "offer", "sdp", "v=0 offer"));
            assertThat(callee.next().path("type").asText())
                    .as("the callee receives the offer")
                    .isEqualTo("offer");
            callee.send("answer", Map.of("type", "answer", "sdp", "v=0 answer"));
            assertThat(caller.next().path("type").asText())
                    .as("the caller receives the answer")
                    .isEqualTo("answer");
            for (int i = 0; i < 10; i++) {
                caller.send("candidate", Map.of("candidate", "caller " + i, "sdpMid", "0", "sdpMLineIndex", 0));
                callee.send("candidate", Map.of("candidate", "callee " + i, "sdpMid", "0", "sdpMLineIndex", 0));
            }
            List<String> expectedAtCallee = new ArrayList<>();
            List<String> expectedAtCaller = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                expectedAtCallee.add("caller " + i);
                expectedAtCaller.add("callee " + i);
            }
            assertThat(callee.next(10))
                    .as("the callee receives the caller's 10 candidates, in order")
                    .extracting(m -> m.path("payload").path("candidate").asText())
                    .isEqualTo(expectedAtCallee);
            assertThat(caller.next(10))
                    .as("the caller receives the callee's 10 candidates, in order")
                    .extracting(m -> m.path("payload").path("candidate").asText())
                    .isEqualTo(expectedAtCaller);
            assertThat(caller.quietFor(Duration.ofMillis(50)) && callee.quietFor(Duration.ofMillis(50)))
                    .as("nothing else arrives: no fuzz frame leaked into this room")
                    .isTrue();
        }
    }

    private static final String[] TEMPLATES = {
        "{\"type\":\"offer\",\"payload\":{\"type\":\"offer\",\"sdp\":\"v=0\\r\\n\"}}",
        "{\"type\":\"candidate\",\"to\":\"fuzz-poll\",\"payload\":{\"candidate\":\"candidate:1 1 udp 1 127.0.0.1 "
                + "5000 typ host\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0}}",
        "{\"type\":\"x-state\",\"from\":\"x\",\"seq\":-1,\"payload\":[1,2,{\"a\":null}]}",
        "{\"type\":\"hangup\"}",
        "{\"type\":\"answer\",\"to\":null,\"payload\":\"s\"}",
    };
    private static final String ALPHABET = "{}[]\":,\\ \t\nabcdefxyz0123456789-+.eEtruflsn\u00e9\u4e2d\u0000\u007f";

    private static String fuzzFrame(Random random) {
        StringBuilder frame;
        int kind = random.nextInt(10);
        if (kind < 2) {
            frame = new StringBuilder();
            int length = random.nextInt(200);
            for (int i = 0; i < length; i++) {
                frame.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
        } else {
            frame = new StringBuilder(TEMPLATES[random.nextInt(TEMPLATES.length)]);
            int mutations = 1 + random.nextInt(4);
            for (int m = 0; m < mutations && frame.length() > 0; m++) {
                int at = random.nextInt(frame.length());
                switch (random.nextInt(6)) {
                    case 0 -> frame.deleteCharAt(at);
                    case 1 -> frame.insert(at, ALPHABET.charAt(random.nextInt(ALPHABET.length())));
                    case 2 -> frame.setCharAt(at, ALPHABET.charAt(random.nextInt(ALPHABET.length())));
                    case 3 -> frame.setLength(at);
                    case 4 -> frame.insert(at, "\ud83d\ude00");
                    default ->
                        frame.insert(at, frame.substring(at, Math.min(frame.length(), at + 1 + random.nextInt(20))));
                }
            }
            if (random.nextInt(200) == 0) {
                frame.append(" ".repeat(70 * 1024)); // now and then one over the size limit
            }
        }
        // Never a lone surrogate: the JDK's WebSocket client refuses to send one.
        return frame.codePoints()
                .map(cp -> cp >= 0xD800 && cp <= 0xDFFF ? '?' : cp)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                .toString();
    }

    private static byte[] randomBytes(int length) {
        byte[] bytes = new byte[Math.max(1, length)];
        new Random(length).nextBytes(bytes);
        return bytes;
    }
}
