package callguide.bench;

import static org.assertj.core.api.Assertions.assertThat;

import callguide.kit.signal.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code bench relay --vs peerjs} in its quickest form (one round, 1 and 5 rooms, short phases), against the relay
 * in a JVM of its own always, and against the real PeerJS server where node and npm are ({@code -Ppeerjs}, which
 * {@code ./workshop test} turns on when they are, and otherwise says it left the test out). Checks the JSON's shape
 * and that every message went through each server: no figure is asserted.
 */
class RelayVsPeerJsTest {
    private static final List<String> ENTRY_FIELDS = List.of(
            "transport",
            "rooms",
            "payload",
            "p50_ms",
            "p99_ms",
            "p99_range_ms",
            "msgs_per_s",
            "sent",
            "delivered",
            "errors",
            "rounds",
            "joins",
            "joins_ms",
            "rss_idle_mb",
            "rss_mb",
            "threads");

    @Test
    @DisplayName("the relay alone, in a JVM of its own: every configuration measured, every message delivered")
    void relayAlone() throws Exception {
        RelayVsPeerJs.Comparison c =
                RelayVsPeerJs.compare(new RelayVsPeerJs.Options(1, true, false, null, List.of("-Xmx256m")), System.out);
        JsonNode json = Json.MAPPER.readTree(Json.write(c.json()));

        assertThat(json.fieldNames()).toIterable().contains("results", "baseline", "peerjs", "ratios", "setup");
        assertDelivered(json.path("results"), RelayVsPeerJs.RELAY);
        assertThat(json.path("peerjs")).as("no PeerJS server was asked for").isEmpty();
        assertThat(c.ok()).as("every configuration ok: %s", c.runs()).isTrue();

        assertThat(c.ceiling())
                .as("the load generator's ceiling, flat out against the Jetty echo in a JVM of its own")
                .isNotNull();
        assertThat(c.ceiling().delivered())
                .as("every message through the echo: %s", c.ceiling())
                .isEqualTo(c.ceiling().sent())
                .isPositive();
        java.io.ByteArrayOutputStream text = new java.io.ByteArrayOutputStream();
        RelayVsPeerJs.print(c, new java.io.PrintStream(text, true, java.nio.charset.StandardCharsets.UTF_8));
        assertThat(text.toString(java.nio.charset.StandardCharsets.UTF_8))
                .as("the text output says what the load generator reaches")
                .containsPattern("load generator ceiling against the bare Jetty echo: [\\d,]+ msgs/s");
    }

    @Test
    @Tag("peerjs")
    @Timeout(value = 150, unit = TimeUnit.SECONDS) // the first run installs PeerJS server with npm (about 10 s)
    @DisplayName("the relay and the real PeerJS server side by side: both measured, every message through each,"
            + " a ratio for each configuration")
    void relayAndPeerJs() throws Exception {
        PeerJsServer peerJs = PeerJsServer.installed(Path.of("..", ".workshop", "peerjs"), System.out);
        RelayVsPeerJs.Comparison c = RelayVsPeerJs.compare(
                new RelayVsPeerJs.Options(1, true, true, peerJs, List.of("-Xmx256m")), System.out);
        JsonNode json = Json.MAPPER.readTree(Json.write(c.json()));

        assertDelivered(json.path("results"), RelayVsPeerJs.RELAY);
        assertDelivered(json.path("peerjs"), RelayVsPeerJs.PEERJS);
        assertThat(json.path("ratios")).as("a ratio for each (rooms, payload)").hasSize(4);
        for (JsonNode ratio : json.path("ratios")) {
            assertThat(ratio.fieldNames())
                    .toIterable()
                    .containsExactly("rooms", "payload", "msgs_per_s", "p99_ms", "rss_mb");
            assertThat(ratio.path("msgs_per_s").isNumber())
                    .as("msgs/s ratio of %s", ratio)
                    .isTrue();
            assertThat(ratio.path("p99_ms").isNumber())
                    .as("p99 ratio of %s", ratio)
                    .isTrue();
        }
        assertThat(json.path("setup").path("peerjs_version").asText()).isEqualTo(PeerJsServer.VERSION);
        assertThat(c.ok()).as("every configuration ok: %s", c.runs()).isTrue();
    }

    /** Four entries of {@code server} (1 and 5 rooms, candidate and offer), each with every message delivered. */
    private static void assertDelivered(JsonNode entries, String server) {
        assertThat(entries).as(server + "'s entries").hasSize(4);
        for (JsonNode e : entries) {
            assertThat(e.path("failure").asText())
                    .as("what went wrong with %s at %s rooms, %s", server, e.path("rooms"), e.path("payload"))
                    .isEmpty();
            assertThat(e.fieldNames()).toIterable().as("fields of %s", e).containsAll(ENTRY_FIELDS);
            assertThat(e.path("transport").asText()).isEqualTo(server);
            assertThat(e.path("payload").asText()).isIn("candidate", "offer");
            assertThat(e.path("sent").asLong())
                    .as("messages sent through %s: %s", server, e)
                    .isPositive();
            assertThat(e.path("delivered").asLong())
                    .as("messages delivered through %s: %s", server, e)
                    .isEqualTo(e.path("sent").asLong());
            assertThat(e.path("errors").asLong())
                    .as("errors from %s: %s", server, e)
                    .isZero();
            assertThat(e.path("joins").asInt()).isEqualTo(2 * e.path("rooms").asInt());
            assertThat(e.path("msgs_per_s").asLong())
                    .as("flat out through %s: %s", server, e)
                    .isPositive();
            assertThat(e.path("rss_mb").asDouble())
                    .as("the server's memory: %s", e)
                    .isPositive();
            if (e.path("rooms").asInt() > 1) {
                assertThat(e.path("fairness").asDouble())
                        .as("the slowest pair over the median: %s", e)
                        .isBetween(0.0, 1.0);
            }
        }
    }
}
