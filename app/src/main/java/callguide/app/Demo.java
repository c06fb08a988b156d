package callguide.app;

import callguide.call.CallReport;
import callguide.call.Role;
import callguide.kit.Todo;
import callguide.kit.net.Link;
import callguide.kit.rtc.Stats;
import callguide.kit.signal.Json;
import callguide.kit.timeline.EventKind;
import callguide.relay.Relay;
import callguide.relay.RelayConfig;
import callguide.relay.RelayMain;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./workshop demo}: the relay and its STUN responder in this process, then a caller and a
 * callee as two separate JVMs that talk only through the relay. Prints both timelines as the call
 * proceeds, then a summary; exits 0 only if both sides connected and media flowed both ways.
 */
public final class Demo {
    private static final long PEER_TIMEOUT_S = 30;
    /** How long a line waits for the other side's earlier lines when that side is quiet. */
    private static final double HOLD_MS = 500;

    private Demo() {}

    /** The outcome of one demo call: the summary JSON of the design, and whether it came up. */
    public record Result(boolean connected, double setupMs, CallReport caller, CallReport callee) {
        public Map<String, Object> json() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("connected", connected);
            json.put("setup_ms", Math.round(setupMs * 10) / 10.0);
            json.put("caller", caller);
            json.put("callee", callee);
            return json;
        }
    }

    static final String USAGE = "usage: ./workshop demo|call [--json] [--watch] " + Conditions.USAGE;

    public static void main(String[] args) throws Exception {
        Map<String, String> flags;
        Conditions conditions;
        try {
            flags = Flags.parse(args, Conditions.FLAGS);
            for (String flag : flags.keySet()) {
                if (!flag.equals("json")
                        && !flag.equals("watch")
                        && !List.of(Conditions.FLAGS).contains(flag)) {
                    throw new IllegalArgumentException("unknown option --" + flag);
                }
            }
            conditions = Conditions.from(flags);
        } catch (IllegalArgumentException e) {
            System.err.println("demo: " + e.getMessage());
            System.err.println(USAGE);
            System.err.flush();
            Runtime.getRuntime().halt(2);
            return;
        }
        boolean json = flags.containsKey("json");
        boolean watch = flags.containsKey("watch") && !json;
        Result result;
        try (Link link = conditions.startLink();
                Relay relay = Relay.start(
                        conditions.onRelay(RelayConfig.defaults().withPort(0).withStunPort(0), link))) {
            double start = System.currentTimeMillis();
            if (!json) {
                header(relay, watch).forEach(System.out::println);
                conditions.describe().forEach(System.out::println);
                if (link != null) {
                    link.onChange(change -> System.out.println(String.format(
                            java.util.Locale.ROOT,
                            "%9.1f ms  %-7s %-22s %s",
                            System.currentTimeMillis() - start,
                            "link",
                            EventKind.LINK.label(),
                            change)));
                }
                if (watch) {
                    System.out.println("open it, then press Enter to start the call");
                    waitForEnter();
                }
            }
            result = runSeries(relay, 1, conditions.watchFor(), json ? line -> {} : System.out::println)
                    .get(0);
            if (!json) {
                if (link != null) {
                    System.out.println(System.lineSeparator() + "link: " + link.counters());
                }
                System.out.println(summary(result));
                String why = conditions.explainFailure();
                if (!result.connected() && why != null) {
                    System.out.println(why);
                }
            }
            if (watch) {
                System.out.println("the live view keeps this call while the relay runs: press Enter to stop it");
                waitForEnter();
            }
        }
        if (json) {
            System.out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(result.json()));
        }
        System.out.flush();
        Runtime.getRuntime().halt(result.connected() ? 0 : 1);
    }

    /** What the demo says before the call: where the relay is, and its live view (the call's sequence diagram). */
    static List<String> header(Relay relay, boolean watch) {
        return List.of(
                "relay on " + relay.url() + ", STUN on udp 127.0.0.1:" + relay.stunPort(),
                RelayMain.liveViewLine(relay) + "  (this call's sequence diagram"
                        + (watch ? ")" : "; --watch waits for you to open it)"));
    }

    /** A line on standard input, or its end. */
    private static void waitForEnter() throws IOException {
        System.out.flush();
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    }

    /** Runs one call between two new JVMs through {@code relay}; {@code out} gets the live timeline lines. */
    public static Result run(Relay relay, java.util.function.Consumer<String> out) throws Exception {
        return runSeries(relay, 1, Duration.ZERO, out).get(0);
    }

    /**
     * Runs {@code calls} calls one after another between the same two JVMs (started once, so all
     * but the first call find them warm), each call with new peer connections in a room of its own.
     * With {@code out} null the peers print only their reports: nothing per event on the call's path.
     */
    public static List<Result> runSeries(Relay relay, int calls, java.util.function.Consumer<String> out)
            throws Exception {
        return runSeries(relay, calls, Duration.ZERO, out);
    }

    /**
     * As above, each side staying {@code stay} in each call once it is up (printing its call quality every second),
     * rather than hanging up once media flowed both ways.
     */
    public static List<Result> runSeries(Relay relay, int calls, Duration stay, java.util.function.Consumer<String> out)
            throws Exception {
        String room = "demo-" + UUID.randomUUID().toString().substring(0, 8);
        double demoStart = System.currentTimeMillis();
        // The two sides' lines, merged in time order as they come (each process's pipe has its own delay).
        TimeOrder order = out == null ? null : new TimeOrder(2, HOLD_MS, System::currentTimeMillis, out);
        Side callee = Side.launch(Role.CALLEE, 0, relay, room, calls, stay, demoStart, order);
        Side caller = Side.launch(Role.CALLER, 1, relay, room, calls, stay, demoStart, order);
        try {
            List<Result> results = new ArrayList<>();
            for (int i = 0; i < calls; i++) {
                CallReport callerSeen = caller.report(i);
                CallReport calleeSeen = callee.report(i);
                CallReport callerReport = callerSeen.resolvedBy(calleeSeen);
                CallReport calleeReport = calleeSeen.resolvedBy(callerSeen);
                boolean connected = callerReport.connected()
                        && calleeReport.connected()
                        && callerReport.videoFramesReceived() > 0
                        && calleeReport.videoFramesReceived() > 0
                        && callerReport.audioCallbacks() > 0
                        && calleeReport.audioCallbacks() > 0;
                results.add(new Result(connected, setupMillis(callerReport, calleeReport), callerReport, calleeReport));
            }
            return results;
        } finally {
            if (order != null) {
                order.close();
            }
            caller.process().destroyForcibly();
            callee.process().destroyForcibly();
        }
    }

    /** From the caller's createOffer to the later of the two sides' connection state CONNECTED. */
    public static double setupMillis(CallReport caller, CallReport callee) {
        double offer = caller.firstAt(EventKind.CALL, "create-offer");
        double callerUp = caller.firstAt(EventKind.CONNECTION_STATE, "CONNECTED");
        double calleeUp = callee.firstAt(EventKind.CONNECTION_STATE, "CONNECTED");
        if (offer < 0 || callerUp < 0 || calleeUp < 0) {
            return -1;
        }
        return Math.max(caller.startedEpochMs() + callerUp, callee.startedEpochMs() + calleeUp)
                - (caller.startedEpochMs() + offer);
    }

    /** The TODO either side stopped at, the earlier step's (then task's) first. */
    static java.util.Optional<Todo> unfinished(Result result) {
        return java.util.stream.Stream.of(result.caller(), result.callee())
                .map(CallReport::failure)
                .map(Todo::fromMessage)
                .flatMap(java.util.Optional::stream)
                .min(java.util.Comparator.comparing(Todo::step).thenComparingInt(Todo::taskNumber));
    }

    static String summary(Result result) {
        StringBuilder s = new StringBuilder("\n");
        if (result.connected()) {
            s.append(String.format(
                    "call connected: %.0f ms from createOffer to both sides connected%n", result.setupMs()));
        } else {
            s.append("call NOT connected\n");
        }
        s.append(String.format(
                "%-7s %-10s %-13s %-16s %s%n",
                "side", "connected", "video frames", "audio callbacks", "selected pair"));
        for (CallReport r : List.of(result.caller(), result.callee())) {
            s.append(String.format(
                    "%-7s %-10s %-13d %-16d %s%n",
                    r.side(), r.connected(), r.videoFramesReceived(), r.audioCallbacks(), r.pairText()));
            if (r.failure() != null) {
                s.append("        failed: ").append(r.failure()).append('\n');
            }
        }
        Stats.prflxNote(result.caller().pairText(), result.callee().pairText())
                .ifPresent(note -> s.append("(").append(note).append(")\n"));
        unfinished(result)
                .ifPresent(todo -> s.append("\nthe first unfinished step is ")
                        .append(todo.step())
                        .append(", task ")
                        .append(todo.taskNumber())
                        .append('\n')
                        .append(todo.next())
                        .append('\n'));
        return s.toString();
    }

    /** One peer process and the reports it prints, one per call. */
    private record Side(Role role, Process process, List<CompletableFuture<CallReport>> reports) {

        static Side launch(
                Role role,
                int source,
                Relay relay,
                String room,
                int calls,
                Duration stay,
                double demoStart,
                TimeOrder out)
                throws IOException {
            List<String> command = new ArrayList<>(List.of(
                    javaBinary(),
                    "-cp",
                    System.getProperty("java.class.path"),
                    PeerMain.class.getName(),
                    "--relay",
                    relay.url(),
                    "--room",
                    room,
                    "--peer",
                    role.label(),
                    "--role",
                    role.label(),
                    "--timeout",
                    String.valueOf(PEER_TIMEOUT_S),
                    out == null ? "--report" : "--events"));
            if (calls > 1) {
                command.addAll(List.of("--calls", String.valueOf(calls)));
            }
            if (!stay.isZero()) {
                command.addAll(List.of("--stay", String.valueOf(stay.toSeconds())));
            }
            Process process = new ProcessBuilder(command)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            List<CompletableFuture<CallReport>> reports = new ArrayList<>();
            for (int i = 0; i < calls; i++) {
                reports.add(new CompletableFuture<>());
            }
            Thread reader =
                    new Thread(() -> read(role, source, process, demoStart, out, reports), "demo-" + role.label());
            reader.setDaemon(true);
            reader.start();
            return new Side(role, process, reports);
        }

        private static void read(
                Role role,
                int source,
                Process process,
                double demoStart,
                TimeOrder out,
                List<CompletableFuture<CallReport>> reports) {
            int next = 0;
            try (BufferedReader lines =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    if (line.startsWith("EVENT ") && out != null) {
                        JsonNode e = Json.MAPPER.readTree(line.substring(6));
                        double at = e.path("epoch_ms").asDouble();
                        out.add(
                                source,
                                at,
                                String.format(
                                        "%9.1f ms  %-7s %-22s %s",
                                        at - demoStart,
                                        role.label(),
                                        e.path("kind").asText(),
                                        e.path("value").asText()));
                    } else if (line.startsWith("REPORT ") && next < reports.size()) {
                        if (next == reports.size() - 1 && out != null) {
                            out.end(source); // its last report: every line of it came before
                        }
                        reports.get(next++).complete(Json.read(line.substring(7), CallReport.class));
                    }
                }
            } catch (IOException | RuntimeException e) {
                reports.forEach(r -> r.completeExceptionally(e));
            }
            if (out != null) {
                out.end(source);
            }
            CallReport ended = failed(
                    role, "the " + role.label() + " process ended without a report (exit " + exitCode(process) + ")");
            reports.forEach(r -> r.complete(ended));
        }

        /** The report of call {@code index}; each call may take the whole peer timeout. */
        CallReport report(int index) {
            try {
                return reports.get(index).get(PEER_TIMEOUT_S + 20, TimeUnit.SECONDS);
            } catch (Exception e) {
                return failed(role, "no report from the " + role.label() + " process: " + e);
            }
        }

        private static CallReport failed(Role role, String why) {
            return new CallReport(role.label(), false, 0, List.of(), 0, 0, null, why, null);
        }

        private static String exitCode(Process process) {
            try {
                return process.waitFor(5, TimeUnit.SECONDS) ? String.valueOf(process.exitValue()) : "still running";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "unknown";
            }
        }

        private static String javaBinary() {
            return ProcessHandle.current().info().command().orElse("java");
        }
    }
}
