package callguide.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * {@code ./workshop bench relay --vs peerjs [--rounds N] [--quick] [--json]}: the relay and PeerJS server (the one
 * people pick for this job) measured side by side by one load generator ({@link RelayLoad}, the same WebSocket
 * clients of {@link NioWebSockets}; one pair of PeerJS clients is one room). Each server runs in a process of its own
 * on 127.0.0.1, fresh each round, the two in turn (A B A B) for N rounds, the server on core 0 and the load
 * generator on core 1 where {@code taskset} is. In a round, after a warm-up of both (50 rooms of offers, not
 * reported), 1, 50 and 500 rooms in turn, each with candidate-sized and then offer-sized messages, so "after
 * traffic" at 500 rooms is the server's memory after the whole round, as a server that ran a workshop's day would
 * be. Each figure is the median over the rounds (p99 with its range); the ratios are relay over PeerJS.
 *
 * <p>The load generator ({@link NioWebSockets}, one selector thread for every client) must be faster than either
 * server, or the figures would be its own: after the rounds, its ceiling is measured the same way against the bare
 * Jetty echo ({@link EchoServer}, in a process of its own on the servers' core) and printed beside the figures.
 */
final class RelayVsPeerJs {
    static final String RELAY = RelayLoad.WEBSOCKET;
    static final String PEERJS = RelayLoad.PEERJS;
    static final int DEFAULT_ROUNDS = 6;

    private static final int[] ROOMS = {1, 50, 500};
    private static final int[] QUICK_ROOMS = {1, 5};
    private static final double QUICK_SCALE = 0.05;
    private static final int WARM_UP_ROOMS = 50;
    /** Runs against the echo for the load generator's ceiling: the best counts, as noise only ever lowers it. */
    static final int CEILING_RUNS = 3;

    /**
     * The relay's limits raised for the bench, as the measurement did: its rate limit, and the caps per
     * address (every client here is 127.0.0.1) and per connection's queue.
     */
    static final List<String> RELAY_FLAGS = List.of(
            "--rate-burst",
            "1000000",
            "--rate-per-second",
            "1000000",
            "--max-rooms",
            "10000",
            "--rooms-per-address",
            "100000",
            "--peers-per-address",
            "100000",
            "--connections-per-address",
            "100000",
            "--max-queued-bytes",
            String.valueOf(16 << 20));

    /**
     * What to run: {@code quick}: 1 and 5 rooms, short phases (the test); {@code pin}: servers and this JVM on
     * a core each; {@code peerJs} null runs the relay alone (the test where node is absent); {@code relayJvm} the
     * relay JVM's options.
     */
    record Options(int rounds, boolean quick, boolean pin, PeerJsServer peerJs, List<String> relayJvm) {
        int[] rooms() {
            return quick ? QUICK_ROOMS : ROOMS;
        }

        double scale() {
            return quick ? QUICK_SCALE : 1.0;
        }

        List<String> servers() {
            return peerJs == null ? List.of(RELAY) : List.of(RELAY, PEERJS);
        }
    }

    /**
     * Every round's results and how the run was set up; its figures as JSON and as text. {@code ceiling}: the load
     * generator's best flat-out run against the bare Jetty echo (candidates, the most rooms), null if none ran.
     */
    record Comparison(List<RelayResult> runs, Options options, String pinning, RelayResult ceiling) {

        boolean ok() {
            return runs.stream().allMatch(RelayResult::ok);
        }

        /**
         * {@code bench relay --json}'s shape with what {@code --vs peerjs} adds: {@code results} the relay's entries
         * (each with its payload), {@code peerjs} PeerJS server's, {@code ratios} relay over PeerJS, {@code setup};
         * no Jetty echo is run beside PeerJS, so {@code baseline} is empty and there is no {@code ratio_p99}. A figure
         * not measured (fairness with one pair) is left out, as the workshop's JSON leaves out every absent field.
         */
        Map<String, Object> json() {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("results", entries(RELAY));
            out.put("baseline", List.of());
            out.put("peerjs", entries(PEERJS));
            out.put("ratios", ratios());
            Map<String, Object> setup = new LinkedHashMap<>();
            setup.put("peerjs_version", PeerJsServer.VERSION);
            setup.put("rounds", options.rounds());
            setup.put("quick", options.quick());
            setup.put("pinning", pinning);
            setup.put("relay_jvm", options.relayJvm());
            setup.put("relay_flags", RELAY_FLAGS);
            out.put("setup", setup);
            return out;
        }

        List<Map<String, Object>> entries(String server) {
            List<Map<String, Object>> out = new ArrayList<>();
            for (int rooms : options.rooms()) {
                for (RelayLoad.Payload payload : RelayLoad.Payload.values()) {
                    List<RelayResult> rounds = of(server, rooms, payload);
                    if (!rounds.isEmpty()) {
                        out.add(entry(rounds));
                    }
                }
            }
            return out;
        }

        List<Map<String, Object>> ratios() {
            List<Map<String, Object>> out = new ArrayList<>();
            if (options.peerJs() == null) {
                return out;
            }
            for (int rooms : options.rooms()) {
                for (RelayLoad.Payload payload : RelayLoad.Payload.values()) {
                    List<RelayResult> relay = of(RELAY, rooms, payload);
                    List<RelayResult> peerJs = of(PEERJS, rooms, payload);
                    Map<String, Object> ratio = new LinkedHashMap<>();
                    ratio.put("rooms", rooms);
                    ratio.put("payload", payload.label);
                    ratio.put("msgs_per_s", ratio(relay, peerJs, RelayResult::msgsPerS));
                    ratio.put("p99_ms", ratio(relay, peerJs, r -> r.latency().p99()));
                    ratio.put("rss_mb", ratio(relay, peerJs, r -> mb(r.after())));
                    out.add(ratio);
                }
            }
            return out;
        }

        List<RelayResult> of(String server, int rooms, RelayLoad.Payload payload) {
            return runs.stream()
                    .filter(r ->
                            r.transport().equals(server) && r.rooms() == rooms && payload.label.equals(r.payload()))
                    .toList();
        }

        private static Double ratio(
                List<RelayResult> relay, List<RelayResult> peerJs, ToDoubleFunction<RelayResult> figure) {
            return RelayResult.round2(median(relay, figure) / median(peerJs, figure));
        }
    }

    private RelayVsPeerJs() {}

    /** Runs the comparison; progress lines go to {@code log}. */
    static Comparison compare(Options options, PrintStream log) {
        String pinning = options.pin() ? pin() : "not pinned (asked not to)";
        List<String> serverPin = pinning.startsWith("pinned") ? List.of("taskset", "-c", "0") : List.of();
        log.println(
                "relay vs PeerJS server " + PeerJsServer.VERSION + ": " + options.rounds() + " round(s), " + pinning);
        RelayLoad load = new RelayLoad(log);
        List<RelayResult> runs = new ArrayList<>();
        for (int round = 1; round <= options.rounds(); round++) {
            for (String server : options.servers()) {
                runs.addAll(round(load, options, server, serverPin, round, log));
            }
        }
        return new Comparison(runs, options, pinning, ceiling(load, options, serverPin, log));
    }

    /**
     * The load generator's ceiling: flat out against the bare Jetty echo in a JVM of its own (the relay's options,
     * on the servers' core), candidate-sized at the most rooms, measured as the servers are; the best of {@link
     * #CEILING_RUNS} after a warm-up, or null when the echo would not start.
     */
    private static RelayResult ceiling(RelayLoad load, Options options, List<String> pin, PrintStream log) {
        int rooms = options.rooms()[options.rooms().length - 1];
        RelayResult best = null;
        try (ServerProcess echo = ServerProcess.echo(pin, options.relayJvm())) {
            load.measure(RelayLoad.ECHO, echo.base(), rooms, RelayLoad.Payload.CANDIDATE, options.scale() / 2, echo);
            for (int run = 0; run < CEILING_RUNS; run++) {
                RelayResult r = load.measure(
                        RelayLoad.ECHO, echo.base(), rooms, RelayLoad.Payload.CANDIDATE, options.scale(), echo);
                log.printf(
                        Locale.ROOT,
                        "load generator vs Jetty echo %3d rooms candidate %s; flat out, echo %.0f%% busy, load"
                                + " generator %.0f%%%n",
                        rooms,
                        r.describe(),
                        100 * r.versus().serverBusy(),
                        100 * r.versus().generatorBusy());
                if (r.ok() && (best == null || r.msgsPerS() > best.msgsPerS())) {
                    best = r;
                }
            }
        } catch (IOException | RuntimeException e) {
            log.println("the Jetty echo did not start, so no ceiling for the load generator: " + e.getMessage());
        }
        return best;
    }

    /** The line that says what the load generator reaches, so a reader knows the figures are the servers'. */
    static String ceilingLine(Comparison c) {
        RelayResult r = c.ceiling();
        if (r == null) {
            return "load generator ceiling against the bare Jetty echo: not measured (see the log above)";
        }
        double busy = r.versus().generatorBusy();
        // A phase too short for the CPU clocks (the quick run's) says nothing of the generator's own capacity.
        String own = busy >= 0.02
                ? String.format(
                        Locale.ROOT, ", so about %,.0f msgs/s of its own with a core to itself", r.msgsPerS() / busy)
                : "";
        return String.format(
                Locale.ROOT,
                "load generator ceiling against the bare Jetty echo: %,.0f msgs/s (candidates, %d rooms, flat out as"
                        + " above, best of %d, the echo in a JVM of its own; meanwhile the echo's process busy %.0f%%"
                        + " of a core, the generator's %.0f%%%s)",
                r.msgsPerS(),
                r.rooms(),
                CEILING_RUNS,
                100 * r.versus().serverBusy(),
                100 * busy,
                own);
    }

    /**
     * One round of one server: a fresh server, its memory idle, a warm-up (its JIT and the load generator's; not
     * reported), then every configuration in turn, its memory after each one's traffic.
     */
    private static List<RelayResult> round(
            RelayLoad load, Options options, String server, List<String> pin, int round, PrintStream log) {
        List<RelayResult> results = new ArrayList<>();
        try (ServerProcess process = server.equals(PEERJS) ? options.peerJs().start(pin) : relay(options, pin)) {
            ServerProcess.Memory idle = process.memory();
            RelayResult warm = load.measure(
                    server, process.base(), WARM_UP_ROOMS, RelayLoad.Payload.OFFER, options.scale() / 2, process);
            log.printf(
                    Locale.ROOT,
                    "round %d %-9s warm-up: %s%n",
                    round,
                    server,
                    warm.ok() ? "done" : "had trouble: " + warm.describe());
            if (!warm.ok()) { // the rest of the round would only time out in turn
                return failedRound(options, server, "the round's warm-up failed: " + warm.describe());
            }
            for (int rooms : options.rooms()) {
                for (RelayLoad.Payload payload : RelayLoad.Payload.values()) {
                    RelayResult r = load.measure(server, process.base(), rooms, payload, options.scale(), process)
                            .withIdle(idle);
                    results.add(r);
                    log.printf(
                            Locale.ROOT,
                            "round %d %-9s %3d rooms %-9s %s; joins %.0f ms; server %s -> %s; flat out, server %.0f%%"
                                    + " busy, load generator %.0f%%%n",
                            round,
                            server,
                            rooms,
                            payload.label,
                            r.describe(),
                            r.joinsMs(),
                            memory(r.idle()),
                            memory(r.after()),
                            100 * r.versus().serverBusy(),
                            100 * r.versus().generatorBusy());
                }
            }
        } catch (IOException | RuntimeException e) {
            log.println("round " + round + " " + server + ": the server did not start: " + e.getMessage());
            return failedRound(options, server, "the server did not start: " + e.getMessage());
        }
        return results;
    }

    /** Every configuration of a round that could not be run, with why. */
    private static List<RelayResult> failedRound(Options options, String server, String why) {
        List<RelayResult> results = new ArrayList<>();
        for (int rooms : options.rooms()) {
            for (RelayLoad.Payload payload : RelayLoad.Payload.values()) {
                results.add(RelayLoad.failed(server, rooms, payload, why));
            }
        }
        return results;
    }

    /** The relay as {@code ./workshop relay} runs it, in a JVM of its own, with {@link #RELAY_FLAGS}. */
    private static ServerProcess relay(Options options, List<String> pin) throws IOException {
        return ServerProcess.relay(pin, options.relayJvm(), RELAY_FLAGS);
    }

    /**
     * Pins this JVM (the load generator, every thread) to core 1, so servers started behind {@code taskset -c 0}
     * have core 0 to themselves; what was done, for the output.
     */
    static String pin() {
        if (Runtime.getRuntime().availableProcessors() < 2) {
            return "not pinned: fewer than 2 cores";
        }
        try {
            Process p = new ProcessBuilder(
                            "taskset",
                            "-a",
                            "-p",
                            "-c",
                            "1",
                            String.valueOf(ProcessHandle.current().pid()))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0) {
                return "pinned with taskset: each server on core 0, the load generator on core 1";
            }
            p.destroyForcibly();
            return "not pinned: taskset -p failed";
        } catch (IOException e) {
            return "not pinned: no taskset here (util-linux)";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "not pinned: interrupted";
        }
    }

    /** One {@code peerjs}/{@code results} entry: the medians over the rounds, the counts summed. */
    static Map<String, Object> entry(List<RelayResult> rounds) {
        RelayResult first = rounds.get(0);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("transport", first.transport());
        out.put("rooms", first.rooms());
        out.put("payload", first.payload());
        out.put("p50_ms", RelayResult.round2(median(rounds, r -> r.latency().median())));
        out.put("p99_ms", RelayResult.round2(median(rounds, r -> r.latency().p99())));
        out.put(
                "p99_range_ms",
                Arrays.asList( // null where no round had a p99
                        RelayResult.round2(extreme(rounds, r -> r.latency().p99(), false)),
                        RelayResult.round2(extreme(rounds, r -> r.latency().p99(), true))));
        out.put("max_ms", RelayResult.round2(median(rounds, r -> r.latency().max())));
        out.put("msgs_per_s", whole(median(rounds, RelayResult::msgsPerS)));
        out.put("offered_msgs_per_s", Math.round(first.offeredPerS()));
        out.put("sent", rounds.stream().mapToLong(RelayResult::sent).sum());
        out.put("delivered", rounds.stream().mapToLong(RelayResult::delivered).sum());
        out.put("errors", rounds.stream().mapToLong(RelayResult::errors).sum());
        out.put("rounds", rounds.size());
        out.put("joins", first.joins());
        out.put("joins_ms", RelayResult.round2(median(rounds, RelayResult::joinsMs)));
        out.put("fairness", RelayResult.round2(median(rounds, RelayResult::fairness)));
        out.put("rss_idle_mb", RelayResult.round2(median(rounds, r -> mb(r.idle()))));
        out.put("rss_mb", RelayResult.round2(median(rounds, r -> mb(r.after()))));
        out.put("threads_idle", whole(median(rounds, r -> threads(r.idle()))));
        out.put("threads", whole(median(rounds, r -> threads(r.after()))));
        rounds.stream().filter(r -> r.failure() != null).findFirst().ifPresent(r -> out.put("failure", r.failure()));
        return out;
    }

    /** The comparison as text: a row a server and configuration, then the ratios. */
    static void print(Comparison c, PrintStream out) {
        out.println("relay (its own JVM: " + String.join(" ", c.options().relayJvm()) + "; flags "
                + String.join(" ", RELAY_FLAGS) + ") vs PeerJS server " + PeerJsServer.VERSION + " (node)");
        out.println(c.pinning() + "; " + c.options().rounds() + " round(s) A B A B, a fresh server each "
                + "round; medians over the rounds; permessage-deflate off (the clients offer no extensions)");
        out.printf(
                Locale.ROOT,
                "paced: %.0f msgs/s in all (at most %.0f per peer); flat out: every peer sends its batch at once; "
                        + "fair: the slowest pair's deliveries / the median pair's, half-way through flat out;%n"
                        + "RSS (VmRSS) and threads of the server's process: fresh > after this configuration's "
                        + "traffic; joins: clients joined, and the time until all had%n",
                RelayLoad.OFFERED_PER_S,
                RelayLoad.MAX_PER_PEER_PER_S);
        out.println();
        out.printf(
                Locale.ROOT,
                "  %-9s %5s %-9s %9s %7s %7s %15s %5s %7s %14s %10s %5s%n",
                "server",
                "rooms",
                "payload",
                "msgs/s",
                "p50 ms",
                "p99 ms",
                "p99 range",
                "joins",
                "joins s",
                "RSS MB idle>",
                "threads",
                "fair");
        for (int rooms : c.options().rooms()) {
            for (RelayLoad.Payload payload : RelayLoad.Payload.values()) {
                for (String server : c.options().servers()) {
                    List<RelayResult> rounds = c.of(server, rooms, payload);
                    if (rounds.isEmpty()) {
                        continue;
                    }
                    Map<String, Object> e = entry(rounds);
                    out.printf(
                            Locale.ROOT,
                            "  %-9s %5d %-9s %,9.0f %7.2f %7.2f %15s %5d %7.2f %14s %10s %5s%s%n",
                            server,
                            rooms,
                            payload.label,
                            median(rounds, RelayResult::msgsPerS),
                            median(rounds, r -> r.latency().median()),
                            median(rounds, r -> r.latency().p99()),
                            String.format(
                                    Locale.ROOT,
                                    "%.2f-%.2f",
                                    extreme(rounds, r -> r.latency().p99(), false),
                                    extreme(rounds, r -> r.latency().p99(), true)),
                            rounds.get(0).joins(),
                            median(rounds, RelayResult::joinsMs) / 1000,
                            String.format(
                                    Locale.ROOT,
                                    "%.0f>%.0f",
                                    median(rounds, r -> mb(r.idle())),
                                    median(rounds, r -> mb(r.after()))),
                            String.format(
                                    Locale.ROOT,
                                    "%.0f>%.0f",
                                    median(rounds, r -> threads(r.idle())),
                                    median(rounds, r -> threads(r.after()))),
                            e.get("fairness") == null ? "-" : e.get("fairness"),
                            e.containsKey("failure")
                                    ? "   " + e.get("delivered") + "/" + e.get("sent") + " arrived, " + e.get("errors")
                                            + " errors: " + e.get("failure")
                                    : "");
                }
            }
        }
        out.println();
        out.println(ceilingLine(c));
        if (c.options().peerJs() != null) {
            out.println();
            out.println("relay / PeerJS (msgs/s: above 1 is the relay ahead; p99 and RSS after traffic: below 1 is)");
            for (Map<String, Object> r : c.ratios()) {
                out.printf(
                        Locale.ROOT,
                        "  %5d rooms %-9s msgs/s %6s   p99 %6s   RSS %6s%n",
                        r.get("rooms"),
                        r.get("payload"),
                        r.get("msgs_per_s"),
                        r.get("p99_ms"),
                        r.get("rss_mb"));
            }
        }
    }

    /** Rounded to a whole number; null (left out of the JSON) when there is no figure. */
    private static Long whole(double value) {
        return Double.isNaN(value) ? null : Math.round(value);
    }

    private static String memory(ServerProcess.Memory m) {
        return m == null ? "-" : String.format(Locale.ROOT, "%.0f MB/%d threads", m.rssMb(), m.threads());
    }

    private static double mb(ServerProcess.Memory m) {
        return m == null || m.rssMb() < 0 ? Double.NaN : m.rssMb();
    }

    private static double threads(ServerProcess.Memory m) {
        return m == null || m.threads() < 0 ? Double.NaN : m.threads();
    }

    /** The median of a figure over rounds, leaving out rounds without it; NaN when none has it. */
    static double median(Collection<RelayResult> rounds, ToDoubleFunction<RelayResult> figure) {
        double[] values = rounds.stream()
                .mapToDouble(figure)
                .filter(v -> !Double.isNaN(v))
                .sorted()
                .toArray();
        if (values.length == 0) {
            return Double.NaN;
        }
        int mid = values.length / 2;
        return values.length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }

    private static double extreme(List<RelayResult> rounds, ToDoubleFunction<RelayResult> figure, boolean max) {
        double[] values = rounds.stream()
                .mapToDouble(figure)
                .filter(v -> !Double.isNaN(v))
                .toArray();
        if (values.length == 0) {
            return Double.NaN;
        }
        return max
                ? Arrays.stream(values).max().getAsDouble()
                : Arrays.stream(values).min().getAsDouble();
    }

    /** Where PeerJS server is installed: {@code .workshop/peerjs} under the workshop's root. */
    static Path peerJsDir() {
        return Path.of(System.getProperty("callguide.root", "."))
                .resolve(".workshop")
                .resolve("peerjs");
    }
}
