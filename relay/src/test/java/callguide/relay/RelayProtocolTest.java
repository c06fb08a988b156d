package callguide.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Relay protocol version 1")
class RelayProtocolTest {
    private static final AtomicInteger ROOMS = new AtomicInteger();
    /** One relay for the class (each test has rooms of its own). */
    private static Relay relay;

    @BeforeAll
    static void start() {
        relay = Relay.start(RelayConfig.defaults().withPort(0).withStunPort(0));
    }

    @AfterAll
    static void stop() {
        relay.close();
    }

    private static String room() {
        return "proto-" + ROOMS.incrementAndGet();
    }

    private static String type(JsonNode message) {
        return message.path("type").asText();
    }

    @ParameterizedTest(name = "over {0}")
    @ValueSource(strings = {"websocket", "polling"})
    @DisplayName("welcomes each peer with seq 1 and {room, peer, peers}, and announces the second with peer-joined")
    void welcomeAndPeerJoined(String transport) throws Exception {
        String room = room();
        try (TestClient alice = TestClient.join(transport, relay, room, "alice")) {
            JsonNode welcome = alice.next();
            assertThat(type(welcome))
                    .as("the first message on alice's stream is a welcome")
                    .isEqualTo("welcome");
            assertThat(welcome.path("seq").asLong())
                    .as("the welcome carries seq 1")
                    .isEqualTo(1);
            assertThat(welcome.has("from"))
                    .as("the relay's own messages carry no from")
                    .isFalse();
            assertThat(welcome.path("payload").path("room").asText())
                    .as("welcome.payload.room names the room joined")
                    .isEqualTo(room);
            assertThat(welcome.path("payload").path("peer").asText())
                    .as("welcome.payload.peer names alice herself")
                    .isEqualTo("alice");
            assertThat(welcome.path("payload").path("peers").isArray())
                    .as("welcome.payload.peers is a list")
                    .isTrue();
            assertThat(welcome.path("payload").path("peers"))
                    .as("alice, first in the room, is welcomed with no other peers")
                    .isEmpty();

            try (TestClient bob = TestClient.join(transport, relay, room, "bob")) {
                JsonNode bobWelcome = bob.next();
                assertThat(type(bobWelcome))
                        .as("bob's first message is a welcome")
                        .isEqualTo("welcome");
                assertThat(bobWelcome.path("seq").asLong())
                        .as("bob's welcome carries seq 1 (seq is per recipient)")
                        .isEqualTo(1);
                assertThat(bobWelcome.path("payload").path("peer").asText())
                        .as("bob's welcome names bob")
                        .isEqualTo("bob");
                assertThat(bobWelcome.path("payload").path("peers"))
                        .as("bob's welcome lists alice, already in the room")
                        .extracting(JsonNode::asText)
                        .containsExactly("alice");

                JsonNode joined = alice.next();
                assertThat(type(joined)).as("alice is told that bob joined").isEqualTo("peer-joined");
                assertThat(joined.path("payload").path("peer").asText())
                        .as("peer-joined.payload.peer names bob")
                        .isEqualTo("bob");
                assertThat(joined.path("seq").asLong())
                        .as("peer-joined is alice's second message: seq 2")
                        .isEqualTo(2);
            }
        }
    }

    @ParameterizedTest(name = "over {0}")
    @ValueSource(strings = {"websocket", "polling"})
    @DisplayName(
            "forwards with from set by the relay, the client's own from and seq replaced, and the payload unchanged")
    void forwarding(String transport) throws Exception {
        String room = room();
        try (TestClient alice = TestClient.join(transport, relay, room, "alice");
                TestClient bob = TestClient.join(transport, relay, room, "bob")) {
            alice.next("peer-joined");
            bob.next("welcome");
            String payload = "{\"type\":\"offer\",\"sdp\":\"v=0\\r\\no=- 1 2 IN IP4 "
                    + "127.0.0.1\\r\\n\",\"nested\":{\"n\":[1,2.5,-3e7,null,true],"
                    + "\"text\":\"h\\u00e9llo \\ud83d\\ude00 "
                    + "\\\"quoted\\\"\"},\"empty\":{},\"big\":12345678901234567890}";
            alice.sendFrame("{\"type\":\"offer\",\"from\":\"mallory\",\"seq\":999,\"payload\":" + payload + "}");

            JsonNode offer = bob.next();
            assertThat(type(offer)).as("bob receives alice's offer as an offer").isEqualTo("offer");
            assertThat(offer.path("from").asText())
                    .as("from is set by the relay to the sender, not the client's claimed mallory")
                    .isEqualTo("alice");
            assertThat(offer.path("seq").asLong())
                    .as("seq is bob's own next seq (welcome was 1), not the client's 999")
                    .isEqualTo(2);
            assertThat(offer.path("payload"))
                    .as("the payload is forwarded unchanged")
                    .isEqualTo(TestClient.JSON.readTree(payload));
            assertThat(alice.quietFor(Duration.ofMillis(100)))
                    .as("the sender gets no echo of its own message")
                    .isTrue();
        }
    }

    @ParameterizedTest(name = "over {0}")
    @ValueSource(strings = {"websocket", "polling"})
    @DisplayName("delivers with or without to, and numbers each recipient's stream 1, 2, 3, ... on its own")
    void toOptionalAndSeqPerRecipient(String transport) throws Exception {
        String room = room();
        try (TestClient alice = TestClient.join(transport, relay, room, "alice");
                TestClient bob = TestClient.join(transport, relay, room, "bob")) {
            alice.next(2); // welcome 1, peer-joined 2
            bob.next(1); // welcome 1
            for (int i = 0; i < 10; i++) {
                if (i % 2 == 0) {
                    alice.send("candidate", Map.of("candidate", "c" + i, "sdpMid", "0", "sdpMLineIndex", 0));
                } else {
                    alice.sendTo("candidate", "bob", Map.of("candidate", "c" + i, "sdpMid", "0", "sdpMLineIndex", 0));
                }
            }
            List<JsonNode> received = bob.next(10);
            assertThat(received)
                    .as("bob receives every candidate, with or without to, in the order sent")
                    .extracting(m -> m.path("payload").path("candidate").asText())
                    .containsExactly("c0", "c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8", "c9");
            assertThat(received)
                    .as("bob's seqs continue after his welcome: 2 to 11")
                    .extracting(m -> m.path("seq").asLong())
                    .containsExactly(2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L);

            bob.send("answer", Map.of("type", "answer", "sdp", "v=0"));
            JsonNode answer = alice.next();
            assertThat(answer.path("seq").asLong())
                    .as("alice's own stream is numbered apart from bob's: her third message has seq 3")
                    .isEqualTo(3);
            assertThat(answer.path("from").asText())
                    .as("the answer comes from bob")
                    .isEqualTo("bob");
        }
    }

    @Test
    @DisplayName("carries messages both ways between a WebSocket peer and a polling peer in one room")
    void mixedRoom() throws Exception {
        String room = room();
        try (TestClient ws = TestClient.join("websocket", relay, room, "caller");
                TestClient poll = TestClient.join("polling", relay, room, "callee")) {
            assertThat(poll.next().path("payload").path("peers"))
                    .as("the polling peer is welcomed with the WebSocket peer in the room")
                    .extracting(JsonNode::asText)
                    .containsExactly("caller");
            assertThat(ws.next(2))
                    .as("the WebSocket peer gets welcome, then peer-joined")
                    .extracting(RelayProtocolTest::type)
                    .containsExactly("welcome", "peer-joined");
            ws.send("offer", Map.of("type", "offer", "sdp", "v=0 offer"));
            poll.send("answer", Map.of("type", "answer", "sdp", "v=0 answer"));
            for (int i = 0; i < 5; i++) {
                ws.send("candidate", Map.of("candidate", "ws" + i, "sdpMid", "0", "sdpMLineIndex", 0));
                poll.send("candidate", Map.of("candidate", "poll" + i, "sdpMid", "0", "sdpMLineIndex", 0));
            }
            List<JsonNode> atPoll = poll.next(6);
            List<JsonNode> atWs = ws.next(6);
            assertThat(atPoll)
                    .as("the polling peer receives the offer, then 5 candidates, in order, all from the WebSocket peer")
                    .extracting(m -> type(m) + ":" + m.path("from").asText())
                    .containsExactly(
                            "offer:caller",
                            "candidate:caller",
                            "candidate:caller",
                            "candidate:caller",
                            "candidate:caller",
                            "candidate:caller");
            assertThat(atWs)
                    .as("the WebSocket peer receives the answer, then 5 candidates, in order, all from the "
                            + "polling peer")
                    .extracting(m -> type(m) + ":" + m.path("from").asText())
                    .containsExactly(
                            "answer:callee",
                            "candidate:callee",
                            "candidate:callee",
                            "candidate:callee",
                            "candidate:callee",
                            "candidate:callee");
            assertThat(atPoll.get(0).path("payload").path("sdp").asText())
                    .as("the offer's sdp crosses transports unchanged")
                    .isEqualTo("v=0 offer");
            assertThat(atWs.get(0).path("payload").path("sdp").asText())
                    .as("the answer's sdp crosses transports unchanged")
                    .isEqualTo("v=0 answer");
        }
    }

    @Test
    @DisplayName("announces a WebSocket peer that closes as peer-left with reason closed")
    void peerLeftOnWebSocketClose() throws Exception {
        String room = room();
        try (TestClient alice = TestClient.join("polling", relay, room, "alice")) {
            WsTestPeer bob = WsTestPeer.join(relay, room, "bob");
            alice.next("peer-joined");
            bob.close();
            JsonNode left = alice.next();
            assertThat(type(left)).as("alice is told bob left").isEqualTo("peer-left");
            assertThat(left.path("payload").path("peer").asText())
                    .as("peer-left names bob")
                    .isEqualTo("bob");
            assertThat(left.path("payload").path("reason").asText())
                    .as("a clean WebSocket close is reason closed")
                    .isEqualTo("closed");
        }
    }

    @Test
    @DisplayName(
            "announces a polling peer that sends DELETE as peer-left with reason closed, and answers the DELETE 204")
    void peerLeftOnDelete() throws Exception {
        String room = room();
        try (TestClient alice = TestClient.join("websocket", relay, room, "alice")) {
            PollingTestPeer bob = PollingTestPeer.join(relay, room, "bob");
            alice.next("peer-joined");
            assertThat(bob.leave())
                    .as("DELETE of a joined polling peer answers 204")
                    .isEqualTo(204);
            JsonNode left = alice.next();
            assertThat(type(left)).as("alice is told bob left").isEqualTo("peer-left");
            assertThat(left.path("payload").path("peer").asText())
                    .as("peer-left names bob")
                    .isEqualTo("bob");
            assertThat(left.path("payload").path("reason").asText())
                    .as("a DELETE is reason closed")
                    .isEqualTo("closed");
            assertThat(bob.poll(0, 0, bob.token).statusCode())
                    .as("after DELETE the old token reads nothing: 403")
                    .isEqualTo(403);
        }
    }

    @Test
    @DisplayName("counts open rooms and peers on /health, back to zero once everyone left")
    void health() throws Exception {
        try (Relay own = Relay.start(RelayConfig.defaults().withPort(0).withStunPort(-1))) {
            countsOn(own);
        }
    }

    private static void countsOn(Relay relay) throws Exception {
        assertHealth(relay, 0, 0);
        TestClient a = TestClient.join("websocket", relay, "h1", "a");
        assertHealth(relay, 1, 1);
        TestClient b = TestClient.join("polling", relay, "h1", "b");
        assertHealth(relay, 1, 2);
        TestClient c = TestClient.join("polling", relay, "h2", "c");
        assertHealth(relay, 2, 3);
        JsonNode health = TestClient.health(relay);
        assertThat(health.path("status").asText()).as("/health says status ok").isEqualTo("ok");
        a.close();
        b.close();
        c.close();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertHealth(relay, 0, 0));
    }

    private static void assertHealth(Relay relay, int rooms, int peers) throws Exception {
        JsonNode health = TestClient.health(relay);
        assertThat(health.path("rooms").asInt(-1))
                .as("/health rooms in " + health)
                .isEqualTo(rooms);
        assertThat(health.path("peers").asInt(-1))
                .as("/health peers in " + health)
                .isEqualTo(peers);
    }

    @Test
    @DisplayName("refuses a third WebSocket peer with error room-full, then closes its socket")
    void roomFullWebSocket() throws Exception {
        String room = room();
        try (TestClient a = TestClient.join("polling", relay, room, "a");
                TestClient b = TestClient.join("websocket", relay, room, "b")) {
            WsTestPeer third = WsTestPeer.join(relay, room, "c");
            JsonNode error = third.next();
            assertThat(type(error))
                    .as("the third peer's only message is an error")
                    .isEqualTo("error");
            assertThat(error.path("payload").path("code").asText())
                    .as("the error code for a full room")
                    .isEqualTo("room-full");
            assertThat(error.path("payload").path("message").asText())
                    .as("the error says why")
                    .isNotBlank();
            assertThat(third.closed).as("the relay closes the refused socket").succeedsWithin(Duration.ofSeconds(5));
            assertThat(third.closed.join())
                    .as("the refused socket is closed with a close code, not dropped")
                    .isPositive();
            assertThat(b.next(1))
                    .as("b was welcomed and heard nothing about the refused peer")
                    .extracting(RelayProtocolTest::type)
                    .containsExactly("welcome");
            assertThat(b.quietFor(Duration.ofMillis(100)))
                    .as("b hears nothing about the refused third peer")
                    .isTrue();
            third.abort();
        }
    }

    @Test
    @DisplayName("refuses a third polling peer with 409 and an error body room-full")
    void roomFullPolling() throws Exception {
        String room = room();
        try (TestClient a = TestClient.join("websocket", relay, room, "a");
                TestClient b = TestClient.join("polling", relay, room, "b")) {
            PollingTestPeer third = PollingTestPeer.join(relay, room, "c");
            assertThat(third.joinStatus)
                    .as("a full room answers a polling join 409")
                    .isEqualTo(409);
            assertThat(type(third.joinBody))
                    .as("the 409's body is an error envelope")
                    .isEqualTo("error");
            assertThat(third.joinBody.path("payload").path("code").asText())
                    .as("the error code for a full room")
                    .isEqualTo("room-full");
            a.send("x-still-here", Map.of());
            assertThat(b.next("x-still-here").path("from").asText())
                    .as("the two peers of the full room still talk after the refusal")
                    .isEqualTo("a");
        }
    }

    @ParameterizedTest(name = "second alice over {0}")
    @ValueSource(strings = {"websocket", "polling"})
    @DisplayName("refuses a second connection claiming a peer id already in the room with peer-taken")
    void peerTaken(String transport) throws Exception {
        String room = room();
        try (TestClient alice =
                TestClient.join(transport.equals("websocket") ? "polling" : "websocket", relay, room, "alice")) {
            alice.next("welcome");
            if (transport.equals("websocket")) {
                WsTestPeer twin = WsTestPeer.join(relay, room, "alice");
                JsonNode error = twin.next();
                assertThat(error.path("payload").path("code").asText())
                        .as("the second alice's error code")
                        .isEqualTo("peer-taken");
                assertThat(twin.closed).as("the refused socket is closed").succeedsWithin(Duration.ofSeconds(5));
                twin.abort();
            } else {
                PollingTestPeer twin = PollingTestPeer.join(relay, room, "alice");
                assertThat(twin.joinStatus)
                        .as("a taken id answers a polling join 409")
                        .isEqualTo(409);
                assertThat(twin.joinBody.path("payload").path("code").asText())
                        .as("the second alice's error code")
                        .isEqualTo("peer-taken");
            }
            assertThat(alice.quietFor(Duration.ofMillis(100)))
                    .as("the first alice hears nothing of her would-be twin")
                    .isTrue();
        }
    }

    @Test
    @DisplayName("refuses bad room and peer ids with bad-id on both transports")
    void badId() throws Exception {
        String tooLong = "r".repeat(65);
        for (String[] ids : new String[][] {
            {"room-ok", "bad.id"}, {tooLong, "alice"}, {"room-ok", "a%20b"}, {"room-ok", "p".repeat(65)}
        }) {
            WsTestPeer ws = WsTestPeer.join(relay, ids[0], ids[1].replace("%20", " "));
            JsonNode error = ws.next();
            assertThat(error.path("payload").path("code").asText())
                    .as("WebSocket join of room %s peer %s", ids[0], ids[1])
                    .isEqualTo("bad-id");
            assertThat(ws.closed).as("the refused socket is closed").succeedsWithin(Duration.ofSeconds(5));
            ws.abort();

            PollingTestPeer poll = PollingTestPeer.joinSilent(relay, ids[0], ids[1]);
            assertThat(poll.joinStatus)
                    .as("polling join of room %s peer %s answers 400", ids[0], ids[1])
                    .isEqualTo(400);
            assertThat(poll.joinBody.path("payload").path("code").asText())
                    .as("polling join of room %s peer %s", ids[0], ids[1])
                    .isEqualTo("bad-id");
        }
        WsTestPeer noPeer = WsTestPeer.connect(relay, "room-ok", "nobody");
        assertThat(noPeer.next().path("payload").path("code").asText())
                .as("a WebSocket join without ?peer= is bad-id")
                .isEqualTo("bad-id");
        noPeer.abort();
        try (PollingTestPeer longest = PollingTestPeer.joinSilent(relay, "r".repeat(64), "p".repeat(64))) {
            assertThat(longest.joinStatus)
                    .as("64 characters is still a good room and peer id")
                    .isEqualTo(201);
        }
    }

    @Test
    @DisplayName("answers 403 forbidden to a polling request without the peer's token or with another peer's")
    void forbidden() throws Exception {
        String room = room();
        try (PollingTestPeer alice = PollingTestPeer.joinSilent(relay, room, "alice");
                PollingTestPeer bob = PollingTestPeer.joinSilent(relay, room, "bob")) {
            String offer = "{\"type\":\"offer\",\"payload\":{}}";
            assertForbidden(alice.poll(0, 0, null), "a poll without a token");
            assertForbidden(alice.poll(0, 0, bob.token), "alice's poll with bob's token");
            assertForbidden(alice.poll(0, 0, "not-a-token"), "a poll with a made-up token");
            PollingTestPeer.Answer send = alice.sendFrame(offer, null);
            assertThat(send.status()).as("a send without a token answers 403").isEqualTo(403);
            assertThat(send.code()).as("a send without a token").isEqualTo("forbidden");
            send = alice.sendFrame(offer, bob.token);
            assertThat(send.status())
                    .as("a send as alice with bob's token answers 403")
                    .isEqualTo(403);
            assertThat(send.code()).as("a send as alice with bob's token").isEqualTo("forbidden");
            assertThat(alice.delete(bob.token))
                    .as("a DELETE of alice with bob's token answers 403")
                    .isEqualTo(403);
            assertThat(alice.delete(null))
                    .as("a DELETE without a token answers 403")
                    .isEqualTo(403);

            assertThat(bob.pollMessages(0, 0))
                    .as("bob got welcome only: nothing was sent to him as alice")
                    .extracting(RelayProtocolTest::type)
                    .containsExactly("welcome");
            assertThat(alice.pollMessages(0, 0))
                    .as("alice is still in the room: welcome, peer-joined")
                    .extracting(RelayProtocolTest::type)
                    .containsExactly("welcome", "peer-joined");
            assertThat(alice.sendFrame(offer).status())
                    .as("alice's own token still sends: 202")
                    .isEqualTo(202);
            assertThat(bob.pollMessages(1, 0))
                    .as("bob receives alice's offer once sent with her token")
                    .extracting(m -> type(m) + ":" + m.path("from").asText())
                    .containsExactly("offer:alice");
        }
    }

    private static void assertForbidden(HttpResponse<String> response, String what) {
        assertThat(response.statusCode()).as(what + " answers 403").isEqualTo(403);
        assertThat(TestClient.parse(response.body())
                        .path("payload")
                        .path("code")
                        .asText())
                .as(what + " answers code forbidden")
                .isEqualTo("forbidden");
    }

    @Test
    @DisplayName(
            "loses nothing when a poll response is lost: polling again with the old after returns the same messages")
    void lostPollResponse() throws Exception {
        String room = room();
        try (PollingTestPeer alice = PollingTestPeer.joinSilent(relay, room, "alice");
                TestClient bob = TestClient.join("websocket", relay, room, "bob")) {
            for (int i = 0; i < 3; i++) {
                bob.send("x-note", Map.of("n", i));
            }
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> alice.pollMessages(0, 0).size() == 5);
            List<JsonNode> first = alice.pollMessages(0, 0);
            List<JsonNode> again = alice.pollMessages(0, 1);
            assertThat(again)
                    .as("a poll with the same after (the first response lost) returns the same messages")
                    .isEqualTo(first);
            assertThat(again)
                    .as("welcome, peer-joined and the three notes, seq 1 to 5")
                    .extracting(m -> m.path("seq").asLong())
                    .containsExactly(1L, 2L, 3L, 4L, 5L);
            assertThat(alice.pollMessages(2, 0))
                    .as("after=2 acknowledges seq 1 and 2: the notes remain")
                    .extracting(m -> m.path("payload").path("n").asInt())
                    .containsExactly(0, 1, 2);
            assertThat(alice.pollMessages(5, 0))
                    .as("after=5 acknowledges everything: nothing left")
                    .isEmpty();
            bob.send("x-note", Map.of("n", 3));
            assertThat(alice.pollMessages(5, 5))
                    .as("a held poll is answered with the next message, seq 6")
                    .extracting(m -> m.path("seq").asLong())
                    .containsExactly(6L);
        }
    }

    @Test
    @DisplayName("answers a STUN Binding request on UDP with a Binding success response for the same transaction")
    void stun() throws Exception {
        assertThat(relay.stunPort())
                .as("the relay started its STUN responder on a port")
                .isPositive();
        byte[] transaction = new byte[12];
        ThreadLocalRandom.current().nextBytes(transaction);
        ByteBuffer request = ByteBuffer.allocate(20)
                .putShort((short) 0x0001)
                .putShort((short) 0)
                .putInt(0x2112A442)
                .put(transaction);
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
            socket.setSoTimeout(5000);
            socket.send(new DatagramPacket(request.array(), 20, InetAddress.getByName("127.0.0.1"), relay.stunPort()));
            DatagramPacket answer = new DatagramPacket(new byte[1500], 1500);
            socket.receive(answer);
            ByteBuffer response = ByteBuffer.wrap(answer.getData(), 0, answer.getLength());
            assertThat(answer.getLength())
                    .as("a STUN response has at least its 20-byte header")
                    .isGreaterThanOrEqualTo(20);
            assertThat(response.getShort(0) & 0xffff)
                    .as("the response type is Binding success (0x0101)")
                    .isEqualTo(0x0101);
            assertThat(response.getInt(4))
                    .as("the response carries the magic cookie")
                    .isEqualTo(0x2112A442);
            byte[] echoed = new byte[12];
            response.get(8, echoed, 0, 12);
            assertThat(echoed)
                    .as("the response carries the request's transaction id")
                    .isEqualTo(transaction);
            assertThat(xorMappedPort(response))
                    .as("XOR-MAPPED-ADDRESS gives back the sender's own port")
                    .isEqualTo(socket.getLocalPort());
        }
    }

    private static int xorMappedPort(ByteBuffer response) {
        int at = 20;
        int end = 20 + (response.getShort(2) & 0xffff);
        while (at + 4 <= end) {
            int type = response.getShort(at) & 0xffff;
            int length = response.getShort(at + 2) & 0xffff;
            if (type == 0x0020) {
                return (response.getShort(at + 6) & 0xffff) ^ 0x2112;
            }
            at += 4 + ((length + 3) / 4) * 4;
        }
        return -1;
    }

    @Test
    @DisplayName("with WebSocket disabled refuses the upgrade, while long polling still carries messages")
    void webSocketDisabled() throws Exception {
        try (Relay pollingOnly =
                Relay.start(RelayConfig.defaults().withPort(0).withStunPort(-1).withWebSocketEnabled(false))) {
            assertThatThrownBy(() -> WsTestPeer.connect(pollingOnly, "room?peer=alice", "alice"))
                    .as("a WebSocket upgrade to a relay without WebSocket fails")
                    .isInstanceOf(ExecutionException.class);
            assertThat(pollingOnly.stunPort()).as("STUN port -1 turns STUN off").isEqualTo(-1);
            try (TestClient alice = TestClient.join("polling", pollingOnly, "room", "alice");
                    TestClient bob = TestClient.join("polling", pollingOnly, "room", "bob")) {
                alice.next("peer-joined");
                assertThat(alice.send("offer", Map.of("type", "offer", "sdp", "v=0"))
                                .status())
                        .as("a polling send is accepted: 202")
                        .isEqualTo(202);
                JsonNode offer = bob.next("offer");
                assertThat(offer.path("from").asText())
                        .as("bob receives alice's offer over polling")
                        .isEqualTo("alice");
            }
        }
    }

    static List<String> types(List<JsonNode> messages) {
        List<String> out = new ArrayList<>();
        messages.forEach(m -> out.add(type(m)));
        return out;
    }
}
