package callguide.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** What the TURN tests share: a real coturn, required, and the relay's {@code /config}. */
final class TurnTesting {

    private TurnTesting() {}

    /** Fails, naming the package, on a machine without coturn: CI installs it, so a missing one is a broken machine. */
    static void requireCoturn() {
        assertThat(Coturn.binary())
                .withFailMessage("%s; the TURN tests run a real coturn", Coturn.installHint())
                .isPresent();
    }

    /** A relay on 127.0.0.1 with its own coturn on a free port, and no STUN port clash with anyone. */
    static Relay relayWithCoturn(TurnSettings turn) {
        requireCoturn();
        Relay relay =
                Relay.start(RelayConfig.defaults().withPort(0).withStunPort(0).withTurn(turn));
        assertThat(relay.turnProblem())
                .as("why the relay's coturn did not start")
                .isEmpty();
        return relay;
    }

    static TurnSettings managedOnFreePort() {
        return TurnSettings.managed(0);
    }

    static JsonNode config(Relay relay) throws Exception {
        HttpResponse<String> response = TestClient.HTTP.send(
                HttpRequest.newBuilder(URI.create(relay.url() + "/config"))
                        .timeout(Duration.ofSeconds(5))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET /config answers").isEqualTo(200);
        return TestClient.JSON.readTree(response.body());
    }

    /** The {@code iceServers} entry whose first URL starts with {@code scheme}, or a missing node. */
    static JsonNode entry(JsonNode config, String scheme) {
        for (JsonNode server : config.path("iceServers")) {
            if (server.path("urls").path(0).asText().startsWith(scheme)) {
                return server;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }
}
