package callguide.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import callguide.app.Classroom.Host;
import callguide.call.CallReport;
import callguide.kit.signal.Json;
import callguide.relay.RelayMain;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The workshop as a classroom runs it: the instructor's relay on one host
 * ({@code ./workshop relay --host 0.0.0.0 --turn}: HTTPS with a self-signed certificate, STUN,
 * coturn), two learners' laptops on others, each a network namespace this test makes (see
 * {@link Classroom}). Every program is a process of its own, started as the README tells a person
 * to start it. Left out unless {@code -Pclassroom} ({@code ./workshop test} turns it on as root).
 * {@code -Dclassroom.runs=5} repeats each call and prints the median set-up time.
 */
@Tag("classroom")
@DisplayName("a classroom: the relay on the instructor's host, learners on two others")
class ClassroomTest {
    private static final Duration CALL = Duration.ofSeconds(60);
    private static final Pattern FINGERPRINT = Pattern.compile("(?:[0-9A-F]{2}:){31}[0-9A-F]{2}");
    private static final int PORT = 8787;
    private static final int RUNS = Integer.getInteger("classroom.runs", 1);

    private static Classroom room;
    private static Path state;

    @BeforeAll
    static void buildTheRoom() throws Exception {
        assertThat(Classroom.whyNot())
                .as("what stops this machine making network namespaces")
                .isNull();
        room = Classroom.build();
        state = Files.createTempDirectory("callguide-classroom");
    }

    @AfterAll
    static void removeTheRoom() {
        if (room != null) {
            room.close();
        }
    }

    @Test
    @Timeout(180)
    @DisplayName("two Java peers on two laptops connect host to host through the instructor's relay over HTTPS")
    void hostToHost() throws Exception {
        try (Instructor relay = Instructor.start("--turn")) {
            List<Call> calls = calls(relay, "--fingerprint", relay.fingerprint);

            for (Call call : calls) {
                assertThat(call.types())
                        .as("the selected pair's candidate types, alice then bob: a direct path")
                        .doesNotContain("relay");
            }
            report("host <-> host, WebSocket over TLS", calls);
        }
    }

    @Test
    @Timeout(180)
    @DisplayName("with every direct packet between the laptops dropped, they connect through the relay's coturn")
    void throughTurn() throws Exception {
        try (Instructor relay = Instructor.start("--turn")) {
            room.cutLearnersApart();
            try {
                List<Call> calls = calls(relay, "--fingerprint", relay.fingerprint);

                for (Call call : calls) {
                    assertThat(call.types())
                            .as("the selected pair's candidate types, alice then bob: through TURN")
                            .contains("relay");
                }
                report("direct path cut, through coturn", calls);
            } finally {
                room.joinLearners();
            }
        }
    }

    @Test
    @Timeout(180)
    @DisplayName("where WebSocket upgrades are refused, a Java peer falls back to long polling and still connects")
    void longPollingFallback() throws Exception {
        try (Instructor relay = Instructor.start("--no-websocket")) {
            List<Call> calls = calls(relay, "--fingerprint", relay.fingerprint);

            for (Call call : calls) {
                assertThat(call.alice().path("timeline").toString())
                        .as("alice's timeline: how she joined")
                        .contains("over LONG_POLLING");
            }
            report("WebSocket refused, long polling", calls);
        }
    }

    @Test
    @Tag("browser")
    @Timeout(180)
    @DisplayName("Chromium on one laptop opens the relay's https page and calls the Java peer on the other")
    void browserCallsJava() throws Exception {
        assertThat(Chromium.whyNot()).as("what is missing to drive a browser").isNull();
        try (Instructor relay = Instructor.start("--turn")) {
            List<Double> setups = new ArrayList<>();
            for (int i = 0; i < RUNS; i++) {
                setups.add(browserCall(relay));
            }
            System.out.printf(
                    "classroom: Chromium (alice) -> Java (bob), bob's offer-to-connected median %.1f ms over %d "
                            + "call(s) %s%n",
                    setups.stream().sorted().toList().get(setups.size() / 2), setups.size(), setups);
        }
    }

    /**
     * One call from the browser on alice's laptop to the Java peer on bob's; bob's time from the offer to connected.
     */
    private static double browserCall(Instructor relay) throws Exception {
        String name = room();
        try (PeerProcess bob = PeerProcess.start(
                        "bob",
                        room.on(Host.BOB),
                        PeerMain.class,
                        List.of(
                                "--relay",
                                relay.url(),
                                "--fingerprint",
                                relay.fingerprint,
                                "--room",
                                name,
                                "--peer",
                                "bob",
                                "--role",
                                "callee",
                                "--report",
                                "--linger",
                                "10"));
                PeerProcess browser = PeerProcess.start(
                        "chromium on alice's laptop",
                        room.on(Host.ALICE),
                        ClassroomBrowser.class,
                        List.of(
                                relay.url() + "/call.html?room=" + name + "&peer=alice&role=caller",
                                String.valueOf(CALL.toSeconds() - 15),
                                Path.of(System.getProperty("callguide.screenshots", "target/screenshots"))
                                        .resolve("classroom-browserCallsJava.png")
                                        .toAbsolutePath()
                                        .toString()))) {
            assertThat(browser.exit())
                    .as("the browser's run%n%s%n%s", browser.transcript(), relay.process.transcript())
                    .succeedsWithin(CALL)
                    .isEqualTo(0);
            JsonNode page = result(browser);
            assertThat(page.path("secure_context").asBoolean())
                    .as("the https page is a secure context")
                    .isTrue();
            assertThat(bob.exit())
                    .as("bob's exit code%n%s", bob.transcript())
                    .succeedsWithin(CALL)
                    .isEqualTo(0);
            JsonNode java = bob.report();
            assertThat(java.path("connected").asBoolean()).as("bob connected").isTrue();
            assertThat(java.path("video_frames_received").asLong())
                    .as("frames bob got from the browser")
                    .isPositive();
            assertThat(page.path("framesReceived").asLong())
                    .as("frames the browser got from bob")
                    .isPositive();
            CallReport report = Json.convert(java, CallReport.class);
            double setup = report.firstAt(callguide.kit.timeline.EventKind.CONNECTION_STATE, "CONNECTED")
                    - report.firstAt(callguide.kit.timeline.EventKind.MESSAGE_RECEIVED, "offer");
            System.out.printf(
                    "classroom: Chromium (alice) -> Java (bob): bob %s; browser pair %s, %d frames%n",
                    java.path("selected_pair"),
                    page.path("selectedPair"),
                    page.path("framesReceived").asLong());
            return Math.round(setup * 10) / 10.0;
        }
    }

    // ------------------------------------------------------------------ the parts

    /** The instructor's relay, on the instructor's host, bound to every address it has. */
    private record Instructor(PeerProcess process, String fingerprint) implements AutoCloseable {

        static Instructor start(String... flags) throws Exception {
            List<String> args = new ArrayList<>(List.of(
                    "--host",
                    "0.0.0.0",
                    "--port",
                    String.valueOf(PORT),
                    "--tls-dir",
                    state.resolve("tls").toString()));
            args.addAll(List.of(flags));
            PeerProcess relay = PeerProcess.start("relay", room.on(Host.RELAY), RelayMain.class, args);
            try {
                // The announcement: the listening line, TURN's, then the certificate's (its fingerprint).
                await("the relay's start-up lines")
                        .atMost(Duration.ofSeconds(40))
                        .failFast(
                                "the relay ended: " + relay.transcript(),
                                () -> relay.exit().isDone())
                        .until(() -> relay.stdout().stream().anyMatch(l -> l.startsWith("relay listening on"))
                                && (!List.of(flags).contains("--turn")
                                        || relay.stdout().stream().anyMatch(l -> l.contains("TURN on")))
                                && relay.stdout().stream()
                                        .anyMatch(l -> FINGERPRINT.matcher(l).find()));
            } catch (RuntimeException | Error e) {
                relay.close();
                throw e;
            }
            String fingerprint = relay.stdout().stream()
                    .map(FINGERPRINT::matcher)
                    .filter(Matcher::find)
                    .map(Matcher::group)
                    .findFirst()
                    .orElseThrow();
            return new Instructor(relay, fingerprint);
        }

        String url() {
            return "https://" + Host.RELAY.address() + ":" + PORT;
        }

        @Override
        public void close() {
            process.close();
        }
    }

    /** One call: alice calls bob, each from the command a learner types, each on their own laptop. */
    private record Call(JsonNode alice, JsonNode bob) {
        double setupMs() {
            return Demo.setupMillis(Json.convert(alice, CallReport.class), Json.convert(bob, CallReport.class));
        }

        /** The candidate types of the selected pair, alice's local and remote, then bob's. */
        List<String> types() {
            List<String> types = new ArrayList<>();
            for (JsonNode side : List.of(alice, bob)) {
                types.add(side.path("selected_pair").path("local").asText("?").split(" ")[0]);
                types.add(side.path("selected_pair").path("remote").asText("?").split(" ")[0]);
            }
            return types;
        }

        String pairs() {
            return "alice " + alice.path("selected_pair") + ", bob " + bob.path("selected_pair");
        }
    }

    private static List<Call> calls(Instructor relay, String... peerFlags) throws Exception {
        List<Call> calls = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            calls.add(call(relay, peerFlags));
        }
        return calls;
    }

    private static Call call(Instructor relay, String... peerFlags) throws Exception {
        String name = room();
        try (PeerProcess bob = learner(Host.BOB, relay, name, "bob", "callee", peerFlags);
                PeerProcess alice = learner(Host.ALICE, relay, name, "alice", "caller", peerFlags)) {
            for (PeerProcess peer : List.of(alice, bob)) {
                assertThat(peer.exit())
                        .as("exit code%n%s%n%s", peer.transcript(), relay.process.transcript())
                        .succeedsWithin(CALL)
                        .isEqualTo(0);
            }
            Call call = new Call(alice.report(), bob.report());
            for (JsonNode side : List.of(call.alice, call.bob)) {
                assertThat(side.path("connected").asBoolean())
                        .as("%s connected", side.path("side").asText())
                        .isTrue();
                assertThat(side.path("video_frames_received").asLong())
                        .as("%s's video frames", side.path("side").asText())
                        .isPositive();
            }
            return call;
        }
    }

    private static PeerProcess learner(
            Host host, Instructor relay, String name, String peer, String role, String... flags) throws Exception {
        List<String> args = new ArrayList<>(List.of(
                "--relay", relay.url(), "--room", name, "--peer", peer, "--role", role, "--report", "--timeout", "40"));
        args.addAll(List.of(flags));
        return PeerProcess.start(peer, room.on(host), PeerMain.class, args);
    }

    private static JsonNode result(PeerProcess browser) {
        return browser.stdout().stream()
                .filter(l -> l.startsWith("RESULT "))
                .findFirst()
                .map(l -> Json.read(l.substring(7), JsonNode.class))
                .orElseThrow(() -> new AssertionError("no RESULT line:\n" + browser.transcript()));
    }

    private static void report(String scenario, List<Call> calls) {
        double[] setups = calls.stream().mapToDouble(Call::setupMs).sorted().toArray();
        System.out.printf(
                "classroom: %s: set-up median %.1f ms over %d call(s) %s; %s%n",
                scenario,
                setups[setups.length / 2],
                setups.length,
                java.util.Arrays.toString(setups),
                calls.get(0).pairs());
    }

    private static String room() {
        return "class-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
