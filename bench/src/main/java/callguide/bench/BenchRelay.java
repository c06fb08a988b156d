package callguide.bench;

import callguide.app.Flags;
import callguide.kit.signal.Json;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code ./workshop bench relay [--json]}: what the relay costs a message. One-way forwarding
 * latency (p50, p99, max) and throughput (messages a second) over WebSocket and over long
 * polling, at 1, 50 and 500 concurrent rooms of two peers; then, in the same run, the baseline:
 * a bare Jetty WebSocket server that pairs two connections and forwards each text frame to the
 * partner unchanged, driven by the very same WebSocket clients with the same messages, so the
 * relay's cost over the transport itself reads as a ratio (p99 at 500 rooms).
 *
 * <p>Over WebSocket everything runs in this one JVM on 127.0.0.1 with ephemeral ports: the relay in-process
 * with its rate limit and room limit raised. Over WebSocket, relay and echo alike, the clients are
 * one class ({@link BenchPeer.WsPeer}) on the load generator's own client ({@link NioWebSockets}: one
 * selector thread for every client, each message's bytes built once), each frame read where it arrives.
 * (The kit's own WebSocket client hands every message to a thread of its own per client, a thousand
 * threads at 500 rooms; the JDK's client topped out at 30-40k messages a second: either way the
 * figures would have been the client's.) Long polling has no baseline; its peers are the load
 * generator's ({@link BenchPeer.PollingPeer} on {@link NioHttp}, two keep-alive connections a peer, as
 * a browser holds), and the relay runs in a JVM of its own on a core of its own (see {@link
 * #longPolling}): the kit's client (the JDK's HttpClient, two threads a peer) used twice the relay's CPU
 * in the same JVM, so the figures were the client's. Each message
 * is a candidate of about 200 bytes of payload that carries {@link System#nanoTime()} at send, so
 * the receiver reads one-way latency off the same clock.
 *
 * <p>Two phases per transport and room count, after a warm-up: (1) latency, at a paced moderate
 * offered load (5,000 msgs/s in all, at most 500 a second per peer, at least 20 messages per
 * peer), sent round-robin over the peers; (2) throughput, every peer sending a fixed batch as
 * fast as the transport takes it, counted as messages delivered over the wall time until the
 * last one arrived. Every wait is bounded: a phase that times out reports what was delivered.
 * Targets are reported, never asserted; the exit status is 1 only when a configuration could not
 * be run or lost messages.
 */
public final class BenchRelay {

    private static final int[] ROOMS = {1, 50, 500};

    private static final double TARGET_P99_MS = 5.0;
    private static final double TARGET_MSGS_PER_S = 20_000;
    private static final double TARGET_RATIO = 2.0;

    /** The relay JVM's options for {@code --vs peerjs} ({@code ./workshop} passes the relay's own). */
    static final String RELAY_JVM_PROPERTY = "callguide.bench.relay-jvm";

    private BenchRelay() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> flags;
        try {
            flags = Flags.parse(args, "vs", "rounds");
            if (!List.of("json", "vs", "rounds", "quick").containsAll(flags.keySet())
                    || (flags.containsKey("vs") && !flags.get("vs").equals("peerjs"))
                    || (!flags.containsKey("vs") && (flags.containsKey("rounds") || flags.containsKey("quick")))) {
                throw new IllegalArgumentException("usage: ./workshop bench relay [--json]"
                        + " | bench relay --vs peerjs [--rounds N] [--quick] [--json]");
            }
            Flags.number(flags, "rounds", RelayVsPeerJs.DEFAULT_ROUNDS, 1, 100); // refused here, before any work
        } catch (IllegalArgumentException e) {
            System.err.println("bench relay: " + e.getMessage());
            System.err.flush();
            Runtime.getRuntime().halt(2);
            return;
        }
        boolean json = flags.containsKey("json");
        PrintStream log = json ? System.err : System.out;
        if (flags.containsKey("vs")) {
            Runtime.getRuntime().halt(versusPeerJs(flags, json, log));
        }
        RelayLoad load = new RelayLoad(log);
        long started = System.nanoTime();
        String machine = String.format(
                Locale.ROOT,
                "%d cores, Java %s (%s), %s %s, collector %s",
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"),
                System.getProperty("java.vm.name"),
                System.getProperty("os.name"),
                System.getProperty("os.arch"),
                collector());
        progress(log, "relay benchmark on %s; everything in one JVM on 127.0.0.1", machine);

        // Warm-up of every code path (JIT, class loading, connection pools); not reported.
        for (String transport : List.of(RelayLoad.WEBSOCKET, RelayLoad.ECHO)) {
            RelayResult warm = load.run(transport, 1, 0.25);
            progress(log, "warm-up %-12s %s", transport, warm.ok() ? "done" : "had trouble: " + warm.describe());
        }

        List<RelayResult> results = new ArrayList<>();
        List<RelayResult> baseline = new ArrayList<>();
        // The relay's WebSocket and its baseline side by side, so both see the same machine; long polling last.
        List<String[]> order = new ArrayList<>();
        for (int rooms : ROOMS) {
            order.add(new String[] {RelayLoad.WEBSOCKET, String.valueOf(rooms)});
            order.add(new String[] {RelayLoad.ECHO, String.valueOf(rooms)});
        }
        for (String[] config : order) {
            String transport = config[0];
            int rooms = Integer.parseInt(config[1]);
            RelayResult result = load.run(transport, rooms, 1.0);
            progress(log, "%-12s %3d rooms: %s", transport, rooms, result.describe());
            (RelayLoad.ECHO.equals(transport) ? baseline : results).add(result);
        }
        results.addAll(longPolling(load, log));
        results.sort(
                java.util.Comparator.comparing((RelayResult r) -> !r.transport().equals(RelayLoad.WEBSOCKET))
                        .thenComparingInt(RelayResult::rooms));
        double seconds = (System.nanoTime() - started) / 1e9;

        RelayResult ws500 = find(results, RelayLoad.WEBSOCKET, 500);
        RelayResult echo500 = find(baseline, RelayLoad.ECHO, 500);
        double ratio = ws500 == null || echo500 == null
                ? Double.NaN
                : ws500.latency().p99() / echo500.latency().p99();
        boolean allOk =
                results.stream().allMatch(RelayResult::ok) && baseline.stream().allMatch(RelayResult::ok);

        if (json) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("results", results.stream().map(RelayResult::json).toList());
            out.put("baseline", baseline.stream().map(RelayResult::json).toList());
            out.put("ratio_p99", RelayResult.round2(ratio));
            out.put("machine", machine(seconds));
            System.out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(out));
        } else {
            System.out.println();
            System.out.println("machine: " + machine);
            System.out.printf(
                    Locale.ROOT,
                    "latency: paced, %.0f msgs/s offered in all over WebSocket (at most %.0f per peer), "
                            + "%.0f over long polling (at most %.0f per peer), at least %d per peer, after a warm-up%n",
                    RelayLoad.OFFERED_PER_S,
                    RelayLoad.MAX_PER_PEER_PER_S,
                    RelayLoad.OFFERED_PER_S_POLLING,
                    RelayLoad.MAX_PER_PEER_PER_S_POLLING,
                    RelayLoad.MIN_LATENCY_PER_PEER);
            System.out.println(
                    "throughput: every peer sends a batch as fast as it can; messages delivered / time until "
                            + "the last arrived");
            System.out.println();
            header("through the relay (WebSocket: the same clients as the baseline; long polling: the relay in a JVM of"
                    + " its own)");
            results.forEach(BenchRelay::row);
            System.out.println();
            header("baseline: bare Jetty WebSocket echo, the same WebSocket clients");
            baseline.forEach(BenchRelay::row);
            System.out.println();
            System.out.printf(Locale.ROOT, "ratio p99 relay websocket / jetty echo at 500 rooms: %.2f%n", ratio);
            System.out.println("targets (reported, not asserted):");
            if (ws500 != null) {
                target(
                        "p99 at 500 rooms over WebSocket",
                        String.format(Locale.ROOT, "%.2f ms", ws500.latency().p99()),
                        "< " + TARGET_P99_MS + " ms",
                        ws500.latency().p99() < TARGET_P99_MS);
                target(
                        "throughput at 500 rooms over WebSocket",
                        String.format(Locale.ROOT, "%,.0f msgs/s", ws500.msgsPerS()),
                        String.format(Locale.ROOT, ">= %,.0f msgs/s", TARGET_MSGS_PER_S),
                        ws500.msgsPerS() >= TARGET_MSGS_PER_S);
            }
            target(
                    "ratio p99 relay/echo at 500 rooms",
                    String.format(Locale.ROOT, "%.2f", ratio),
                    "< " + TARGET_RATIO,
                    ratio < TARGET_RATIO);
            System.out.printf(
                    Locale.ROOT,
                    "%s in %.0f s%n",
                    allOk ? "every message arrived" : "SOME CONFIGURATIONS FAILED OR LOST MESSAGES (see above)",
                    seconds);
        }
        System.out.flush();
        Runtime.getRuntime().halt(allOk ? 0 : 1);
    }

    /**
     * Long polling at 1, 50 and 500 rooms against the relay in a JVM of its own (the relay's options, as {@code
     * ./workshop relay} runs it), pinned to core 0 with this JVM (the load generator, {@link NioHttp}) on core 1
     * where {@code taskset} is, as {@code --vs peerjs} runs it: in one JVM the generator's work and the relay's
     * shared two cores, and the figures said little of either. After a warm-up of that relay (not reported); each
     * row says how busy the relay's process and the generator were flat out. Runs last: this JVM stays pinned.
     */
    private static List<RelayResult> longPolling(RelayLoad load, PrintStream log) {
        String pinning = RelayVsPeerJs.pin();
        List<String> serverPin = pinning.startsWith("pinned") ? List.of("taskset", "-c", "0") : List.of();
        String relayJvm = System.getProperty(RELAY_JVM_PROPERTY, "").trim();
        List<RelayResult> results = new ArrayList<>();
        try (ServerProcess relay = ServerProcess.relay(
                serverPin,
                relayJvm.isEmpty() ? List.of() : List.of(relayJvm.split("\\s+")),
                RelayVsPeerJs.RELAY_FLAGS)) {
            progress(log, "long polling: the relay in a JVM of its own (%s), %s", relayJvm, pinning);
            RelayResult warm =
                    load.measure(RelayLoad.LONG_POLLING, relay.base(), 50, RelayLoad.Payload.CANDIDATE, 0.25, relay);
            progress(
                    log,
                    "warm-up %-12s %s",
                    RelayLoad.LONG_POLLING,
                    warm.ok() ? "done" : "had trouble: " + warm.describe());
            for (int rooms : ROOMS) {
                RelayResult r = load.measure(
                        RelayLoad.LONG_POLLING, relay.base(), rooms, RelayLoad.Payload.CANDIDATE, 1.0, relay);
                progress(
                        log,
                        "%-12s %3d rooms: %s; flat out, relay %.0f%% busy, load generator %.0f%%",
                        RelayLoad.LONG_POLLING,
                        rooms,
                        r.describe(),
                        100 * r.versus().serverBusy(),
                        100 * r.versus().generatorBusy());
                results.add(r);
            }
        } catch (java.io.IOException | RuntimeException e) {
            for (int rooms : ROOMS) {
                results.add(RelayLoad.failed(
                        RelayLoad.LONG_POLLING, rooms, RelayLoad.Payload.CANDIDATE, "the relay did not start: " + e));
            }
        }
        return results;
    }

    /** {@code --vs peerjs}: the relay and PeerJS server side by side ({@link RelayVsPeerJs}); the exit status. */
    private static int versusPeerJs(Map<String, String> flags, boolean json, PrintStream log) throws Exception {
        int rounds = (int) Flags.number(flags, "rounds", RelayVsPeerJs.DEFAULT_ROUNDS, 1, 100);
        PeerJsServer peerJs;
        try {
            peerJs = PeerJsServer.installed(RelayVsPeerJs.peerJsDir(), log);
        } catch (RuntimeException e) {
            System.err.println("bench relay --vs peerjs: " + e.getMessage());
            return 2;
        }
        String relayJvm = System.getProperty(RELAY_JVM_PROPERTY, "").trim();
        RelayVsPeerJs.Options options = new RelayVsPeerJs.Options(
                rounds,
                flags.containsKey("quick"),
                true,
                peerJs,
                relayJvm.isEmpty() ? List.of() : List.of(relayJvm.split("\\s+")));
        long started = System.nanoTime();
        RelayVsPeerJs.Comparison c = RelayVsPeerJs.compare(options, log);
        double seconds = (System.nanoTime() - started) / 1e9;
        if (json) {
            Map<String, Object> out = c.json();
            out.put("machine", machine(seconds));
            System.out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(out));
        } else {
            System.out.println();
            RelayVsPeerJs.print(c, System.out);
            System.out.printf(
                    Locale.ROOT,
                    "%s in %.0f s%n",
                    c.ok() ? "every message arrived" : "SOME CONFIGURATIONS FAILED OR LOST MESSAGES (see above)",
                    seconds);
        }
        System.out.flush();
        return c.ok() ? 0 : 1;
    }

    private static Map<String, Object> machine(double seconds) {
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("cores", Runtime.getRuntime().availableProcessors());
        env.put("java", System.getProperty("java.version"));
        env.put("vm", System.getProperty("java.vm.name"));
        env.put("gc", collector());
        env.put("seconds", Percentiles.round(seconds));
        return env;
    }

    private static RelayResult find(List<RelayResult> results, String transport, int rooms) {
        return results.stream()
                .filter(r -> r.transport().equals(transport) && r.rooms() == rooms)
                .findFirst()
                .orElse(null);
    }

    private static void header(String title) {
        System.out.println(title);
        System.out.printf(
                Locale.ROOT,
                "  %-12s %5s %8s %8s %8s %10s %10s%n",
                "transport",
                "rooms",
                "p50 ms",
                "p99 ms",
                "max ms",
                "msgs/s",
                "offered/s");
    }

    private static void row(RelayResult r) {
        System.out.printf(
                Locale.ROOT,
                "  %-12s %5d %8.2f %8.2f %8.2f %,10.0f %,10.0f%s%n",
                r.transport(),
                r.rooms(),
                r.latency().median(),
                r.latency().p99(),
                r.latency().max(),
                r.msgsPerS(),
                r.offeredPerS(),
                r.ok()
                        ? ""
                        : String.format(
                                Locale.ROOT,
                                "   %d/%d arrived, %d errors%s",
                                r.delivered(),
                                r.sent(),
                                r.errors(),
                                r.failure() != null ? ": " + r.failure() : ""));
    }

    private static void target(String what, String measured, String target, boolean met) {
        System.out.printf(
                Locale.ROOT, "  %-40s %14s  target %-18s %s%n", what, measured, target, met ? "met" : "MISSED");
    }

    private static void progress(PrintStream log, String format, Object... args) {
        log.printf(Locale.ROOT, format + "%n", args);
    }

    /** The garbage collectors of this JVM (young and old), which set the tail at 500 rooms. */
    private static String collector() {
        return String.join(
                " + ",
                java.lang.management.ManagementFactory.getGarbageCollectorMXBeans().stream()
                        .map(java.lang.management.GarbageCollectorMXBean::getName)
                        .toList());
    }
}
