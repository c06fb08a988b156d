package callguide.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The memory attacks of issue 17: a client that floods invalid frames and reads nothing, a peer
 * that stops reading its socket, a polling peer that never acknowledges. The bound stated in each
 * test is on what the relay itself retains for its peers ({@link Relay#queuedChars()}): the
 * per-peer caps and the whole relay's budget, checked all along the attack.
 */
@DisplayName("The relay's queues, against clients that do not read")
class RelayBoundedQueuesTest {
    /**
     * A small cap, so the attacks reach it quickly: 256 KiB per WebSocket peer and per mailbox, 200 messages per
     * mailbox.
     */
    private static final int CAP = 256 * 1024;

    private Relay relay;

    @BeforeEach
    void start() {
        relay = Relay.start(RelayConfig.defaults()
                .withPort(0)
                .withStunPort(-1)
                .withCaps(Caps.defaults().withMaxQueuedBytes(CAP).withMailbox(200, CAP)));
    }

    @AfterEach
    void stop() {
        relay.close();
    }

    @Test
    @DisplayName("a WebSocket client flooding invalid frames and reading nothing is disconnected, holding at most its "
            + "cap, while a fresh call completes")
    void invalidFloodNotReading() throws Exception {
        Attacks.DeafSocket attacker = Attacks.DeafSocket.open(relay, "flood", "attacker");
        AtomicLong peak = new AtomicLong();
        CompletableFuture<Integer> attack = CompletableFuture.supplyAsync(() -> {
            int sent = 0;
            while (sent < 100_000 && attacker.send("not json " + sent)) {
                sent++;
                peak.accumulateAndGet(relay.queuedChars(), Math::max);
            }
            return sent;
        });
        Attacks.freshExchange(relay);
        assertThat(attack)
                .as("the attacker is disconnected before it sends 100,000 frames")
                .succeedsWithin(Duration.ofSeconds(15));
        assertThat(attack.join())
                .as("frames the attacker got in before it was disconnected")
                .isLessThan(100_000);
        assertThat(peak.get())
                .as("characters the relay held queued for the attacker at the peak (cap %d)", CAP)
                .isLessThanOrEqualTo(CAP);
        await("the attacker's queue released").atMost(Duration.ofSeconds(5)).until(() -> relay.queuedChars() == 0);
        Attacks.freshExchange(relay);
    }

    @Test
    @DisplayName("a client that reads its answers to a flood of invalid frames gets bad-json, then rate-limited, then "
            + "is closed with 1008 flood")
    void invalidFloodRefusals() throws Exception {
        int burst = relay.config().rateBurst();
        try (WsTestPeer attacker = WsTestPeer.join(relay, "flood-reads", "attacker");
                WsTestPeer partner = WsTestPeer.join(relay, "flood-reads", "partner")) {
            attacker.next(2);
            partner.next(1);
            int sent = 0;
            // A flooder that stops once told it is disconnected (one that goes on may see its socket break instead of
            // the close frame).
            while (sent < 4 * burst
                    && !attacker.closed.isDone()
                    && attacker.inbox().stream()
                            .noneMatch(m ->
                                    m.path("payload").path("message").asText().contains("disconnected"))) {
                // It reads its answers: at most 50 unanswered at a time, so its own queue at the relay stays
                // far below the cap however slow this machine is (a client that does not read is dropped as
                // slow instead, which is another test).
                int answered = sent;
                if (sent - attacker.inbox().size() >= 50) {
                    await("the flooder's answers")
                            .pollDelay(Duration.ZERO)
                            .pollInterval(Duration.ofMillis(1))
                            .atMost(Duration.ofSeconds(10))
                            .until(() -> answered - attacker.inbox().size() < 50 || attacker.closed.isDone());
                }
                try {
                    attacker.sendFrame("{not json");
                } catch (Exception closedUnderUs) {
                    break;
                }
                sent++;
            }
            assertThat(attacker.closed).as("the flooder's socket is closed").succeedsWithin(Duration.ofSeconds(10));
            // 1008 (policy violation), or -1 when frames still in flight as the relay closed broke the closing
            // handshake.
            assertThat(attacker.closed.join()).as("the close code for a flood").isIn(1008, -1);
            JsonNode first = attacker.next();
            assertThat(first.path("payload").path("code").asText())
                    .as("the first invalid frames are answered bad-json")
                    .isEqualTo("bad-json");
            // The last answer comes before the close frame on the same socket; a broken closing
            // handshake (-1) may lose both, and only then is it not required.
            if (attacker.closed.join() == 1008) {
                await("the flooder's last answer")
                        .atMost(Duration.ofSeconds(5))
                        .untilAsserted(() -> assertThat(attacker.inbox())
                                .as("the flooder's answers include a rate-limited that says it is disconnected")
                                .anySatisfy(m -> assertThat(
                                                m.path("payload").path("code").asText() + ": "
                                                        + m.path("payload")
                                                                .path("message")
                                                                .asText())
                                        .startsWith("rate-limited: ")
                                        .contains("disconnected")));
            }
            JsonNode left = partner.next("peer-left");
            assertThat(left.path("payload").path("reason").asText())
                    .as("the partner learns why the flooder left")
                    .isEqualTo("flood");
        }
        Attacks.freshExchange(relay);
    }

    @Test
    @DisplayName("a polling flooder is answered 429 rate-limited, then dropped: peer-left flood, and its token opens "
            + "nothing after")
    void pollingFlood() throws Exception {
        try (PollingTestPeer attacker = PollingTestPeer.join(relay, "poll-flood", "attacker");
                WsTestPeer partner = WsTestPeer.join(relay, "poll-flood", "partner")) {
            partner.next(1);
            int status = 0;
            for (int i = 0; i < 4 * relay.config().rateBurst() && status != 403; i++) {
                status = attacker.sendFrame("[]").status();
                assertThat(status)
                        .as("a flood POST is refused bad-envelope (400), rate-limited (429), or once dropped "
                                + "forbidden (403)")
                        .isIn(400, 429, 403);
            }
            assertThat(status)
                    .as("the flooder is dropped: its token opens nothing")
                    .isEqualTo(403);
            assertThat(partner.next("peer-left").path("payload").path("reason").asText())
                    .as("the partner learns why")
                    .isEqualTo("flood");
        }
        Attacks.freshExchange(relay);
    }

    @Test
    @DisplayName("a WebSocket peer that stops reading is dropped as slow once its queue passes the cap; its partner "
            + "is told and nothing else suffers")
    void slowReader() throws Exception {
        Attacks.DeafSocket deaf = Attacks.DeafSocket.open(relay, "slow", "deaf");
        try (WsTestPeer sender = WsTestPeer.join(relay, "slow", "sender")) {
            sender.next("welcome");
            String big = "x".repeat(60_000);
            AtomicLong peak = new AtomicLong();
            JsonNode left = null;
            for (int i = 0; i < 400 && left == null; i++) { // 24 MB: more than the socket buffers and the cap together
                sender.send("x-big", Map.of("n", i, "data", big));
                peak.accumulateAndGet(relay.queuedChars(), Math::max);
                for (JsonNode m : sender.inbox()) {
                    if (m.path("type").asText().equals("peer-left")) {
                        left = m;
                    }
                }
            }
            if (left == null) {
                left = sender.next("peer-left");
            }
            assertThat(left.path("payload").path("peer").asText())
                    .as("the peer that left")
                    .isEqualTo("deaf");
            assertThat(left.path("payload").path("reason").asText())
                    .as("why the deaf peer left")
                    .isEqualTo("slow");
            assertThat(peak.get())
                    .as("characters queued for the deaf peer at the peak (cap %d)", CAP)
                    .isLessThanOrEqualTo(CAP);
            Attacks.freshExchange(relay);
        }
        await("the slow peer's queue released").atMost(Duration.ofSeconds(5)).until(() -> relay.queuedChars() == 0);
        deaf.abort();
    }

    @Test
    @DisplayName("a polling peer that never acknowledges (after=0) is dropped once its mailbox is full; the sender "
            + "gets mailbox-full, then peer-left slow")
    void neverAcknowledges() throws Exception {
        try (PollingTestPeer lazy = PollingTestPeer.joinSilent(relay, "lazy", "lazy");
                PollingTestPeer sender = PollingTestPeer.join(relay, "lazy", "sender")) {
            sender.next("welcome");
            TestClient.Answer refused = null;
            long peak = 0;
            for (int i = 0; i < 1000 && refused == null; i++) {
                TestClient.Answer answer = sender.send("x-n", Map.of("n", i, "pad", "y".repeat(500)));
                if (i % 20 == 0) {
                    assertThat(lazy.poll(0, 0, lazy.token).statusCode())
                            .as("the lazy peer's polls with after=0 are answered")
                            .isIn(200, 403);
                }
                peak = Math.max(peak, relay.queuedChars());
                if (answer.status() != 202) {
                    refused = answer;
                }
            }
            assertThat(refused)
                    .as("a message is refused once the lazy peer's mailbox is full")
                    .isNotNull();
            assertThat(refused.status()).as("the HTTP status of mailbox-full").isEqualTo(503);
            assertThat(refused.code()).as("the sender's refusal").isEqualTo("mailbox-full");
            assertThat(sender.next("peer-left").path("payload").path("reason").asText())
                    .as("why the lazy peer left")
                    .isEqualTo("slow");
            await("the lazy peer dropped")
                    .atMost(Duration.ofSeconds(5))
                    .untilAsserted(() -> assertThat(lazy.poll(0, 0, lazy.token).statusCode())
                            .as("the dropped peer's token opens nothing")
                            .isEqualTo(403));
            assertThat(peak)
                    .as("characters kept for the lazy peer at the peak (cap %d)", CAP)
                    .isLessThanOrEqualTo(CAP);
        }
        await("every mailbox released once both left")
                .atMost(Duration.ofSeconds(5))
                .until(() -> relay.queuedChars() == 0);
        Attacks.freshExchange(relay);
    }

    @Test
    @DisplayName("over a WebSocket, the sender to a full mailbox gets error mailbox-full on its own stream")
    void mailboxFullOverWebSocket() throws Exception {
        try (PollingTestPeer lazy = PollingTestPeer.joinSilent(relay, "lazy-ws", "lazy");
                WsTestPeer sender = WsTestPeer.join(relay, "lazy-ws", "sender")) {
            sender.next("welcome");
            for (int i = 0; i < 250; i++) {
                sender.send("x-n", Map.of("n", i));
            }
            // The refusal and the departure come in either order: the drop runs on a thread of its own.
            await("mailbox-full and peer-left")
                    .atMost(Duration.ofSeconds(5))
                    .untilAsserted(() -> assertThat(sender.inbox())
                            .as("the WebSocket sender's stream holds the refusal mailbox-full and the lazy "
                                    + "peer's departure (slow)")
                            .anySatisfy(m -> assertThat(
                                            m.path("payload").path("code").asText())
                                    .isEqualTo("mailbox-full"))
                            .anySatisfy(m -> assertThat(m.path("type").asText() + " "
                                            + m.path("payload").path("reason").asText())
                                    .isEqualTo("peer-left slow")));
        }
    }
}
