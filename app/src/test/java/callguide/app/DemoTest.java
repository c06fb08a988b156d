package callguide.app;

import static org.assertj.core.api.Assertions.assertThat;

import callguide.kit.signal.Json;
import callguide.relay.Relay;
import callguide.relay.RelayConfig;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@DisplayName("the demo")
class DemoTest {

    @Test
    @Timeout(90)
    @DisplayName("connects a caller and a callee in two separate JVMs through the relay, with media both ways, and "
            + "says so in JSON")
    void twoProcesses() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        Demo.Result result;
        try (Relay relay = Relay.start(RelayConfig.defaults().withPort(0).withStunPort(0))) {
            result = Demo.run(relay, lines::add);
        }

        assertThat(result.connected())
                .as(
                        "connected; the failures: caller %s, callee %s; the live lines:%n%s",
                        result.caller().failure(), result.callee().failure(), String.join("\n", lines))
                .isTrue();
        assertThat(result.setupMs())
                .as("setup time from createOffer to both connected, ms")
                .isPositive();
        assertThat(lines)
                .as("live timeline lines from both processes")
                .anyMatch(l -> l.contains("caller") && l.contains("HAVE_LOCAL_OFFER"))
                .anyMatch(l -> l.contains("callee") && l.contains("HAVE_REMOTE_OFFER"));

        JsonNode json = Json.MAPPER.readTree(Json.write(result.json()));
        assertThat(json.path("connected").asBoolean()).as("JSON connected").isTrue();
        assertThat(json.path("setup_ms").isNumber())
                .as("JSON setup_ms is a number")
                .isTrue();
        for (String side : List.of("caller", "callee")) {
            JsonNode s = json.path(side);
            assertThat(s.path("video_frames_received").asLong())
                    .as("%s video_frames_received", side)
                    .isPositive();
            assertThat(s.path("audio_callbacks").asLong())
                    .as("%s audio_callbacks", side)
                    .isPositive();
            assertThat(s.path("selected_pair").path("local").asText())
                    .as("%s selected_pair.local", side)
                    .matches("(srflx|prflx) 127\\.0\\.0\\.1:\\d+");
            assertThat(s.path("selected_pair").path("remote").asText())
                    .as("%s selected_pair.remote", side)
                    .contains("127.0.0.1:");
            assertThat(s.path("timeline").isArray()).as("%s timeline", side).isTrue();
        }
    }
}
