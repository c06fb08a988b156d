package callguide.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("the relay")
class RelayTest {
    private static final AtomicInteger ROOMS = new AtomicInteger();
    private static Relay relay;

    @BeforeAll
    static void start() {
        relay = Relay.start(RelayConfig.defaults().withPort(0).withStunPort(0).withPollingTimeout(Duration.ofSeconds(2)));
    }

    @AfterAll
    static void stop() {
        relay.close();
    }

    static String room() {
        return "room-" + ROOMS.incrementAndGet();
    }

    private static JsonNode health() throws Exception {
        return TestPeer.JSON.readTree(TestPeer.HTTP.send(HttpRequest.newBuilder(URI.create(relay.url() + "/health")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

    @ParameterizedTest(name = "over {0}")
    @ValueSource(strings = {"websocket", "polling"})
    @DisplayName("welcomes with seq 1, announces the second peer, and forwards with from and seq set by the relay")
    void forwards(String transport) throws Exception {
        String room = room();
        try (TestPeer a = TestPeer.join(transport, relay, room, "alice"); TestPeer b = TestPeer.join(transport, relay, room, "bob")) {
            JsonNode welcome = a.next();
            assertThat(welcome.path("type").asText()).as("alice's first message").isEqualTo("welcome");
            assertThat(welcome.path("seq").asLong()).as("the welcome's seq").isEqualTo(1);
            assertThat(welcome.path("payload").path("room").asText()).as("welcome.room").isEqualTo(room);
            assertThat(b.next("welcome").path("payload").path("peers").toString()).as("bob's welcome names alice").contains("alice");
            assertThat(a.next().path("type").asText()).as("alice is told bob joined").isEqualTo("peer-joined");

            b.sendRaw("{\"type\":\"offer\",\"from\":\"mallory\",\"seq\":99,\"payload\":{\"type\":\"offer\",\"sdp\":\"v=0\"}}");
            JsonNode offer = a.next();
            assertThat(offer.path("type").asText()).isEqualTo("offer");
            assertThat(offer.path("from").asText()).as("from, set by the relay").isEqualTo("bob");
            assertThat(offer.path("seq").asLong()).as("seq, per recipient: welcome 1, peer-joined 2, offer 3").isEqualTo(3);
            assertThat(offer.path("payload").toString()).as("the payload, unchanged").isEqualTo("{\"type\":\"offer\",\"sdp\":\"v=0\"}");
            a.send("answer", Map.of("type", "answer", "sdp", "v=0"));
            assertThat(b.next("answer").path("from").asText()).isEqualTo("alice");
        }
    }

    @Test
    @DisplayName("carries a call between a WebSocket peer and a polling peer in one room, both ways, in order")
    void mixedRoom() throws Exception {
        String room = room();
        try (TestPeer ws = TestPeer.join("websocket", relay, room, "ws"); TestPeer poll = TestPeer.join("polling", relay, room, "poll")) {
            ws.next("peer-joined");
            for (int i = 0; i < 20; i++) {
                ws.send("candidate", Map.of("candidate", "c" + i));
                poll.send("candidate", Map.of("candidate", "p" + i));
            }
            for (int i = 0; i < 20; i++) {
                assertThat(poll.next("candidate").path("payload").path("candidate").asText()).as("polling peer's candidate %d", i).isEqualTo("c" + i);
                assertThat(ws.next("candidate").path("payload").path("candidate").asText()).as("WebSocket peer's candidate %d", i).isEqualTo("p" + i);
            }
        }
    }

    @ParameterizedTest(name = "over {0}")
    @ValueSource(strings = {"websocket", "polling"})
    @DisplayName("answers every kind of bad input with its error, keeps the sender usable, and other rooms notice nothing")
    void badInput(String transport) throws Exception {
        String room = room();
        String other = room();
        try (TestPeer a = TestPeer.join(transport, relay, room, "a"); TestPeer b = TestPeer.join(transport, relay, room, "b");
             TestPeer x = TestPeer.join("websocket", relay, other, "x"); TestPeer y = TestPeer.join("websocket", relay, other, "y")) {
            a.next("peer-joined");
            b.next("welcome");
            x.next("peer-joined");
            y.next("welcome");
            Map<String, String> inputs = new java.util.LinkedHashMap<>();
            inputs.put("this is not json", "bad-json");
            inputs.put("[1,2,3]", "bad-envelope");
            inputs.put("{\"payload\":{}}", "bad-envelope");
            inputs.put("{\"type\":42}", "bad-envelope");
            inputs.put("{\"type\":\"launch-missiles\"}", "unknown-type");
            inputs.put("{\"type\":\"offer\",\"payload\":\"" + "x".repeat(70_000) + "\"}", "too-large");
            inputs.put("{\"type\":\"offer\",\"to\":\"nobody\"}", "no-such-peer");
            for (Map.Entry<String, String> input : inputs.entrySet()) {
                TestPeer.Sent sent = a.sendRaw(input.getKey());
                JsonNode error = transport.equals("polling") ? TestPeer.JSON.readTree(sent.body()) : a.next("error");
                assertThat(error.path("payload").path("code").asText()).as("the error for %s", abbreviate(input.getKey()))
                        .isEqualTo(input.getValue());
                if (transport.equals("polling")) {
                    assertThat(sent.status()).as("HTTP status for %s", abbreviate(input.getKey())).isBetween(400, 499);
                }
            }
            a.send("offer", Map.of("type", "offer", "sdp", "v=0"));
            assertThat(b.next("offer").path("from").asText()).as("the sender still works after every error").isEqualTo("a");
            assertThat(b.quietFor(Duration.ofMillis(200))).as("b got nothing of a's bad input").isTrue();
            assertThat(x.quietFor(Duration.ofMillis(50)) && y.quietFor(Duration.ofMillis(50))).as("the other room noticed nothing").isTrue();
        }
    }

    @ParameterizedTest(name = "over {0}")
    @ValueSource(strings = {"websocket", "polling"})
    @DisplayName("stops a flood from one peer with rate-limited")
    void flood(String transport) throws Exception {
        String room = room();
        try (TestPeer a = TestPeer.join(transport, relay, room, "a"); TestPeer b = TestPeer.join(transport, relay, room, "b")) {
            a.next("peer-joined");
            String limited = null;
            for (int i = 0; i < 700 && limited == null; i++) {
                TestPeer.Sent sent = a.send("x-flood", Map.of("i", i));
                if (sent.status() == 429) {
                    limited = TestPeer.JSON.readTree(sent.body()).path("payload").path("code").asText();
                }
            }
            if (transport.equals("websocket")) {
                limited = a.next("error").path("payload").path("code").asText();
            }
            assertThat(limited).as("the error once the burst is spent").isEqualTo("rate-limited");
        }
    }

    @ParameterizedTest(name = "over {0}")
    @ValueSource(strings = {"websocket", "polling"})
    @DisplayName("refuses a third peer with room-full, a taken id with peer-taken, and a bad id with bad-id")
    void refusals(String transport) throws Exception {
        String room = room();
        try (TestPeer a = TestPeer.join(transport, relay, room, "a"); TestPeer b = TestPeer.join(transport, relay, room, "b")) {
            a.next("welcome");
            try (TestPeer c = TestPeer.join(transport, relay, room, "c")) {
                assertThat(c.next("error").path("payload").path("code").asText()).as("a third peer").isEqualTo("room-full");
            }
            try (TestPeer again = TestPeer.join(transport, relay, room, "a")) {
                assertThat(again.next("error").path("payload").path("code").asText()).as("a second 'a'").isEqualTo("peer-taken");
            }
            try (TestPeer bad = TestPeer.join(transport, relay, room(), "no-spaces-allowed!")) {
                assertThat(bad.next("error").path("payload").path("code").asText()).as("a bad peer id").isEqualTo("bad-id");
            }
            b.send("x-ping", Map.of());
            assertThat(a.next("x-ping").path("from").asText()).as("the first 'a' still gets its messages").isEqualTo("b");
        }
    }

    @Test
    @DisplayName("lets nobody read or send as a polling peer without its token")
    void tokens() throws Exception {
        String room = room();
        try (TestPeer.PollingPeer a = TestPeer.PollingPeer.open(relay, room, "a", false);
             TestPeer.PollingPeer b = TestPeer.PollingPeer.open(relay, room, "b", false)) {
            assertThat(a.poll(0, 0, null).statusCode()).as("a poll without a token").isEqualTo(403);
            assertThat(a.poll(0, 0, b.token).statusCode()).as("a poll with another peer's token").isEqualTo(403);
            TestPeer.Sent forged = a.sendRaw("{\"type\":\"offer\"}", b.token);
            assertThat(forged.status()).as("a send with another peer's token").isEqualTo(403);
            assertThat(TestPeer.JSON.readTree(forged.body()).path("payload").path("code").asText()).isEqualTo("forbidden");
        }
    }

    @Test
    @DisplayName("loses nothing for a polling peer whose responses are lost: every message once, in order")
    void nothingLost() throws Exception {
        String room = room();
        int count = 2000;
        try (Relay relay = Relay.start(RelayConfig.defaults().withPort(0).withStunPort(-1).withRateBurst(10_000));
             TestPeer sender = TestPeer.join("websocket", relay, room, "sender");
             TestPeer.PollingPeer reader = TestPeer.PollingPeer.open(relay, room, "reader", false)) {
            sender.next("peer-joined");
            CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
                try {
                    for (int i = 0; i < count; i++) {
                        sender.send("x-n", Map.of("n", i));
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Random random = new Random(7);
            List<Integer> received = new ArrayList<>();
            long after = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(25).toNanos();
            while (received.size() < count && System.nanoTime() < deadline) {
                HttpResponse<String> response = reader.poll(after, 1, reader.token);
                assertThat(response.statusCode()).as("a poll").isEqualTo(200);
                if (random.nextInt(3) == 0) {
                    continue; // the response was "lost": poll again with the old after
                }
                for (JsonNode m : TestPeer.JSON.readTree(response.body()).path("messages")) {
                    if (m.path("type").asText().equals("x-n")) {
                        received.add(m.path("payload").path("n").asInt());
                    }
                    after = m.path("seq").asLong();
                }
            }
            sending.get(10, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(received).as("every message exactly once, in order").hasSize(count).isSorted().doesNotHaveDuplicates();
        }
    }

    @ParameterizedTest(name = "over {0}")
    @ValueSource(strings = {"websocket", "polling"})
    @DisplayName("announces a peer that closes as peer-left (closed), and frees the room")
    void departures(String transport) throws Exception {
        String room = room();
        try (TestPeer stays = TestPeer.join("websocket", relay, room, "stays")) {
            TestPeer leaves = TestPeer.join(transport, relay, room, "leaves");
            stays.next("peer-joined");
            leaves.close();
            JsonNode left = stays.next("peer-left");
            assertThat(left.path("payload").path("peer").asText()).isEqualTo("leaves");
            assertThat(left.path("payload").path("reason").asText()).as("the reason").isEqualTo("closed");
        }
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            JsonNode view = TestPeer.JSON.readTree(TestPeer.HTTP.send(HttpRequest.newBuilder(URI.create(relay.url() + "/api/rooms")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            for (JsonNode r : view.path("rooms")) {
                if (r.path("room").asText().equals(room)) {
                    assertThat(r.path("open").asBoolean()).as("room %s still open", room).isFalse();
                }
            }
        });
    }

    @Test
    @DisplayName("announces a polling peer that stops polling as peer-left (timeout), and a killed WebSocket as peer-left")
    void silentPeers() throws Exception {
        String room = room();
        try (TestPeer stays = TestPeer.join("websocket", relay, room, "stays");
             TestPeer.PollingPeer silent = TestPeer.PollingPeer.open(relay, room, "silent", false)) {
            stays.next("peer-joined");
            JsonNode left = stays.next("peer-left");
            assertThat(left.path("payload").path("reason").asText()).as("why the silent poller left").isEqualTo("timeout");
        }
        String room2 = room();
        try (TestPeer stays = TestPeer.join("websocket", relay, room2, "stays")) {
            TestPeer.WebSocketPeer killed = TestPeer.WebSocketPeer.open(relay, room2, "killed");
            stays.next("peer-joined");
            killed.socket.abort();
            assertThat(stays.next("peer-left").path("payload").path("peer").asText()).isEqualTo("killed");
        }
    }

    @Test
    @DisplayName("survives a few thousand random and mutated frames, and a call in another room still completes")
    void fuzz() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        String room = room();
        String[] seeds = {"{\"type\":\"offer\",\"payload\":{\"type\":\"offer\",\"sdp\":\"v=0\"}}", "{\"type\":\"candidate\",\"to\":\"b\"}",
                "{\"type\":\"x-a\",\"payload\":[1,{\"k\":null}]}", "{}", "[]", "null", "\"s\""};
        try (TestPeer a = TestPeer.join("websocket", relay, room, "a"); TestPeer b = TestPeer.join("polling", relay, room, "b")) {
            a.next("peer-joined");
            for (int i = 0; i < 3000; i++) {
                String frame;
                if (random.nextBoolean()) {
                    char[] chars = new char[random.nextInt(200)];
                    for (int j = 0; j < chars.length; j++) {
                        chars[j] = (char) random.nextInt(0x3000);
                    }
                    frame = new String(chars);
                } else {
                    StringBuilder s = new StringBuilder(seeds[random.nextInt(seeds.length)]);
                    for (int m = random.nextInt(4); m >= 0 && s.length() > 0; m--) {
                        int at = random.nextInt(s.length());
                        if (random.nextBoolean()) {
                            s.setCharAt(at, (char) (32 + random.nextInt(95)));
                        } else {
                            s.deleteCharAt(at);
                        }
                    }
                    frame = s.toString();
                }
                (i % 2 == 0 ? a : b).sendRaw(frame.isEmpty() ? " " : frame);
                if (i % 400 == 0) {
                    a.inbox.clear();
                    b.inbox.clear();
                }
            }
        }
        String room2 = room();
        try (TestPeer caller = TestPeer.join("websocket", relay, room2, "caller"); TestPeer callee = TestPeer.join("polling", relay, room2, "callee")) {
            caller.next("peer-joined");
            caller.send("call", Map.of());
            callee.next("call");
            callee.send("accept", Map.of());
            caller.next("accept");
            caller.send("offer", Map.of("type", "offer", "sdp", "v=0"));
            assertThat(callee.next("offer").path("from").asText()).as("after the fuzz (seed %d), a call's offer", seed).isEqualTo("caller");
            callee.send("answer", Map.of("type", "answer", "sdp", "v=0"));
            assertThat(caller.next("answer").path("from").asText()).as("and its answer").isEqualTo("callee");
        }
        assertThat(health().path("status").asText()).isEqualTo("ok");
    }

    @Test
    @DisplayName("carries 200 rooms' worth of signalling at once over both transports, every message in order")
    void load() throws Exception {
        List<CompletableFuture<Void>> calls = new ArrayList<>();
        for (int r = 0; r < 200; r++) {
            String room = room();
            String transport = r % 2 == 0 ? "websocket" : "polling";
            calls.add(CompletableFuture.runAsync(() -> {
                try (TestPeer a = TestPeer.join(transport, relay, room, "a"); TestPeer b = TestPeer.join("websocket", relay, room, "b")) {
                    a.next("peer-joined");
                    a.send("offer", Map.of("type", "offer", "sdp", "v=0"));
                    b.send("answer", Map.of("type", "answer", "sdp", "v=0"));
                    for (int i = 0; i < 20; i++) {
                        a.send("candidate", Map.of("candidate", "a" + i));
                        b.send("candidate", Map.of("candidate", "b" + i));
                    }
                    assertThat(b.next("offer").path("from").asText()).isEqualTo("a");
                    assertThat(a.next("answer").path("from").asText()).isEqualTo("b");
                    for (int i = 0; i < 20; i++) {
                        assertThat(b.next("candidate").path("payload").path("candidate").asText()).isEqualTo("a" + i);
                        assertThat(a.next("candidate").path("payload").path("candidate").asText()).isEqualTo("b" + i);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(room + ": " + e, e);
                }
            }, ForkJoinHolder.POOL));
        }
        assertThat(CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new))).succeedsWithin(Duration.ofSeconds(25));
    }

    @Test
    @DisplayName("answers STUN Binding requests on UDP with the sender's own address")
    void stun() throws Exception {
        byte[] request = new byte[20];
        request[1] = 0x01; // Binding request
        request[4] = 0x21; request[5] = 0x12; request[6] = (byte) 0xA4; request[7] = 0x42;
        for (int i = 8; i < 20; i++) {
            request[i] = (byte) i;
        }
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            socket.setSoTimeout(5000);
            socket.send(new DatagramPacket(request, request.length, InetAddress.getLoopbackAddress(), relay.stunPort()));
            DatagramPacket response = new DatagramPacket(new byte[512], 512);
            socket.receive(response);
            byte[] r = response.getData();
            assertThat(((r[0] & 0xff) << 8) | (r[1] & 0xff)).as("the STUN message type: Binding success").isEqualTo(0x0101);
            assertThat(java.util.Arrays.copyOfRange(r, 8, 20)).as("the transaction id").isEqualTo(java.util.Arrays.copyOfRange(request, 8, 20));
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }

    /** Enough threads for 200 rooms whose test peers block while they wait. */
    private static final class ForkJoinHolder {
        static final java.util.concurrent.ExecutorService POOL = java.util.concurrent.Executors.newFixedThreadPool(64, r -> {
            Thread t = new Thread(r, "room-load");
            t.setDaemon(true);
            return t;
        });
    }
}
