package callguide.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Closing the relay")
class RelayCloseTest {

    private static Relay start() {
        return Relay.start(RelayConfig.defaults().withPort(0).withStunPort(-1));
    }

    @Test
    @DisplayName("stops within its stop timeout while a client still keeps an idle keep-alive connection")
    void idleKeepAlive() throws Exception {
        Relay relay = start();
        // The shared HTTP/1.1 client keeps this connection open, idle, after the answer.
        assertThat(TestClient.health(relay).path("status").asText()).isEqualTo("ok");
        long t0 = System.nanoTime();
        relay.close();
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertThat(relay.stoppedCleanly())
                .as("the server stopped without running out its stop timeout (took %d ms)", took)
                .isTrue();
    }

    @Test
    @DisplayName("answers a held poll and closes WebSockets, then stops cleanly")
    void heldPollAndWebSocket() throws Exception {
        Relay relay = start();
        PollingTestPeer polling = PollingTestPeer.joinSilent(relay, "close-1", "a");
        WsTestPeer ws = WsTestPeer.join(relay, "close-1", "b");
        assertThat(ws.next().path("type").asText()).isEqualTo("welcome");
        HttpResponse<String> first = polling.poll(0, 0, polling.token);
        assertThat(first.statusCode()).isEqualTo(200);
        JsonNode messages = TestClient.JSON.readTree(first.body()).path("messages");
        long last = messages.get(messages.size() - 1).path("seq").asLong();
        CompletableFuture<HttpResponse<String>> held = polling.pollAsync(last, 20, polling.token);
        await().atMost(Duration.ofSeconds(5)).until(() -> relay.heldPolls() == 1);
        assertThat(held).as("a poll with nothing to deliver is held").isNotCompleted();
        relay.close();
        assertThat(held).as("the held poll is answered as the relay stops").succeedsWithin(Duration.ofSeconds(5));
        assertThat(held.join().statusCode()).isEqualTo(200);
        assertThat(ws.closed).as("the WebSocket is closed").succeedsWithin(Duration.ofSeconds(5));
        assertThat(relay.stoppedCleanly())
                .as("the server stopped without running out its stop timeout")
                .isTrue();
    }
}
