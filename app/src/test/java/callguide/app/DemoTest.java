package callguide.app;

import static org.assertj.core.api.Assertions.assertThat;

import callguide.call.CallPeer;
import callguide.call.CallReport;
import callguide.kit.signal.Json;
import callguide.kit.timeline.EventKind;
import callguide.relay.Relay;
import callguide.relay.RelayConfig;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
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
        String rooms;
        String page;
        try (Relay relay = Relay.start(RelayConfig.defaults().withPort(0).withStunPort(0))) {
            List<String> header = Demo.header(relay, false);
            assertThat(header.get(1))
                    .as("the demo's line about the live view")
                    .isEqualTo("live view (candidate addresses redacted): " + relay.url() + "/  (this call's "
                            + "sequence diagram; --watch waits for you to open it)");
            result = Demo.run(relay, lines::add);
            String url = header.get(1).replaceAll(".*: (http\\S+/) .*", "$1");
            HttpClient http = HttpClient.newHttpClient();
            page = http.send(HttpRequest.newBuilder(URI.create(url)).build(), BodyHandlers.ofString())
                    .body();
            rooms = http.send(
                            HttpRequest.newBuilder(URI.create(url + "api/rooms?since=0"))
                                    .build(),
                            BodyHandlers.ofString())
                    .body();
        }
        assertThat(page).as("the page at the live view's address").contains("<html");
        assertThat(rooms)
                .as("the live view's data after the call: its room, with the offer and the answer")
                .containsPattern("\"room\":\"demo-")
                .contains("\"type\":\"offer\"", "\"type\":\"answer\"");

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

        List<Double> times = lines.stream()
                .map(l -> Double.parseDouble(l.substring(0, l.indexOf(" ms")).strip()))
                .toList();
        assertThat(times)
                .as("the live lines of both sides, merged in time order:%n%s", String.join("\n", lines))
                .isSorted();
        for (CallReport side : List.of(result.caller(), result.callee())) {
            List<String> calls = side.timeline().stream()
                    .filter(e -> e.kind().equals(EventKind.CALL.label()))
                    .map(CallReport.Entry::value)
                    .toList();
            assertThat(calls)
                    .as(
                            "%s: the guide's stages in its order, the same on both sides (so an unfinished step stops "
                                    + "both at the same TODO)",
                            side.side())
                    .containsSubsequence("media ready", "peer ready", "joined " + room(calls));
        }
        // each side's hang-up: its negotiation-needed explained, then closed once its states are CLOSED
        assertHangUp(lines, "caller");
        assertHangUp(lines, "callee");

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

    private static String room(List<String> calls) {
        return calls.stream()
                .filter(c -> c.startsWith("joined "))
                .findFirst()
                .map(c -> c.substring("joined ".length()))
                .orElse("?");
    }

    /** After the hang-up line: any negotiation-needed, each state CLOSED, and then "closed". */
    private static void assertHangUp(List<String> lines, String side) {
        List<String> after = lines.stream()
                .filter(l -> l.contains("  " + side + " "))
                .dropWhile(l -> !l.endsWith(CallPeer.HANGING_UP))
                .map(l -> l.substring(l.indexOf(side) + side.length()).strip())
                .toList();
        assertThat(after).as("%s's lines from its hang-up on", side).isNotEmpty();
        assertThat(after)
                .as("%s's lines from its hang-up on", side)
                .contains("call                   closed")
                .containsSubsequence("ice-connection-state   CLOSED", "call                   closed")
                .containsSubsequence("connection-state       CLOSED", "call                   closed")
                .containsSubsequence("signaling-state        CLOSED", "call                   closed");
        assertThat(after.subList(after.indexOf("call                   closed") + 1, after.size()))
                .as("%s: no negotiation-needed after closed", side)
                .noneMatch(l -> l.startsWith("negotiation-needed"));
    }
}
