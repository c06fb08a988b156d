package callguide.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@DisplayName("The relay's threads and what a join leaves behind")
class RelayThreadsTest {

    private static Relay start() {
        return Relay.start(RelayConfig.defaults().withPort(0).withStunPort(-1).withCaps(Caps.generous()));
    }

    @Test
    @Timeout(60)
    @DisplayName("holds more polls than it has threads, and still answers every request and forwards every message")
    void morePollsThanThreads() throws Exception {
        try (Relay relay = start()) {
            int peers = relay.maxThreads() + 6; // more held polls than threads: none may hold one
            List<PollingTestPeer> silent = new ArrayList<>();
            List<CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
            for (int i = 0; i < peers; i++) {
                PollingTestPeer peer = PollingTestPeer.joinSilent(relay, "threads-" + (i / 2), i % 2 == 0 ? "a" : "b");
                assertThat(peer.joinStatus).as("peer %d joins", i).isEqualTo(201);
                silent.add(peer);
            }
            for (PollingTestPeer peer : silent) {
                JsonNode first = TestClient.JSON
                        .readTree(peer.poll(0, 0, peer.token).body())
                        .path("messages");
                held.add(peer.pollAsync(last(first), 20, peer.token));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> relay.heldPolls() == peers);
            assertThat(TestClient.health(relay).path("status").asText())
                    .as("the relay answers while every thread it has could be taken by a held poll")
                    .isEqualTo("ok");
            for (int i = 0; i + 1 < peers; i += 2) {
                TestClient.Answer sent = silent.get(i).sendFrame("{\"type\":\"x-note\",\"payload\":{\"n\":" + i + "}}");
                assertThat(sent.status())
                        .as("room %d's message is taken", i / 2)
                        .isEqualTo(202);
            }
            for (int i = 0; i + 1 < peers; i += 2) {
                CompletableFuture<HttpResponse<String>> answer = held.get(i + 1);
                assertThat(answer).as("room %d's held poll is answered", i / 2).succeedsWithin(Duration.ofSeconds(10));
                assertThat(answer.join().body()).contains("\"payload\":{\"n\":" + i + "}");
            }
        }
    }

    @Test
    @Timeout(30)
    @DisplayName("keeps no HTTP session for a WebSocket join, and sets no cookie")
    void noSession() throws Exception {
        try (Relay relay = start()) {
            RawHttp.Response upgrade = RawHttp.upgrade(relay, "threads-session", "a", Map.of());
            assertThat(upgrade.status()).isEqualTo(101);
            assertThat(upgrade.head().toLowerCase(java.util.Locale.ROOT))
                    .as("the upgrade's answer: a session cookie would mean a session kept for every join")
                    .doesNotContain("set-cookie");
        }
    }

    private static long last(JsonNode messages) {
        return messages.get(messages.size() - 1).path("seq").asLong();
    }
}
