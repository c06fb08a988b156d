package callguide.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("the relay's candidate route (RelayConfig.withCandidateRoute: how a kit Link gets between the peers)")
class RelayCandidateRouteTest {

    private static Map<String, Object> candidate(String line) {
        return Map.of("candidate", line, "sdpMid", "0", "sdpMLineIndex", 0);
    }

    @Test
    @DisplayName("forwards each candidate with the line the route gives, keeps back one it refuses, and leaves the rest"
            + " of every message as it was")
    void routes() throws Exception {
        try (Relay relay = Relay.start(RelayConfig.defaults()
                        .withPort(0)
                        .withStunPort(-1)
                        .withCandidateRoute(line -> line.contains(" tcp ") ? null : line.replace(" 5000 ", " 6000 ")));
                TestClient alice = TestClient.join("websocket", relay, "route", "alice");
                TestClient bob = TestClient.join("websocket", relay, "route", "bob")) {
            alice.next("peer-joined");
            alice.send("candidate", candidate("candidate:1 1 tcp 1 127.0.0.1 9 typ host tcptype active"));
            alice.send("candidate", candidate("candidate:2 1 udp 1 127.0.0.1 5000 typ srflx raddr 0.0.0.0 rport 0"));
            alice.send("offer", Map.of("type", "offer", "sdp", "v=0 127.0.0.1 5000 "));
            JsonNode first = bob.next("candidate");
            assertThat(first.path("payload").path("candidate").asText())
                    .as("the first candidate bob receives: the UDP one, routed")
                    .isEqualTo("candidate:2 1 udp 1 127.0.0.1 6000 typ srflx raddr 0.0.0.0 rport 0");
            assertThat(first.path("payload").path("sdpMid").asText()).isEqualTo("0");
            assertThat(first.path("payload").path("sdpMLineIndex").asInt()).isZero();
            assertThat(bob.next().path("payload").path("sdp").asText())
                    .as("an offer is not a candidate: as sent")
                    .isEqualTo("v=0 127.0.0.1 5000 ");
            assertThat(RelayFaultsTest.entries(relay, "candidate")
                            .get(0)
                            .path("fault")
                            .asText())
                    .as("the live view's entry for the TCP candidate")
                    .isEqualTo("not forwarded: it would go around the link");
        }
    }
}
