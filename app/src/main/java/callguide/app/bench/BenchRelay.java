package callguide.app.bench;

import callguide.app.Flags;
import callguide.kit.signal.Envelope;
import callguide.kit.signal.Json;
import callguide.kit.signal.MessageTypes;
import callguide.kit.signal.RelayClient;
import callguide.relay.Relay;
import callguide.relay.RelayConfig;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/**
 * {@code ./workshop bench relay [--json]}: what the relay costs a message. One-way forwarding
 * latency (p50, p99, max) and throughput (messages a second) over WebSocket and over long
 * polling, at 1, 50 and 500 concurrent rooms of two peers; then, in the same run, the baseline:
 * a bare Jetty WebSocket server that pairs two connections and forwards each text frame to the
 * partner unchanged, driven by the very same WebSocket clients with the same messages, so the
 * relay's cost over the transport itself reads as a ratio (p99 at 500 rooms).
 *
 * <p>Everything runs in this one JVM on 127.0.0.1 with ephemeral ports: the relay in-process
 * with its rate limit and room limit raised. Over WebSocket, relay and echo alike, the clients are
 * one class ({@link WsPeer}): the JDK's WebSocket on one shared HttpClient, one send outstanding
 * at a time as the kit's client does, each frame read where it arrives. (The kit's own WebSocket
 * client hands every message to a thread of its own per client, a thousand threads at 500 rooms:
 * measuring the relay with it and the echo without would charge the relay for the client.) Long
 * polling has no baseline and uses the kit's client ({@link RelayClient#longPolling}). Each message
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
    private static final String WEBSOCKET = "websocket";
    private static final String LONG_POLLING = "long-polling";
    private static final String ECHO = "jetty-echo";

    /** Total offered load of the latency phase over a WebSocket, spread evenly over the peers. */
    private static final double OFFERED_PER_S = 5_000;
    /** ... but no peer offers more than this (a single room stays a moderate load). */
    private static final double MAX_PER_PEER_PER_S = 500;
    /**
     * Long polling costs two HTTP requests a message and saturates at a few thousand messages a
     * second on two cores, so at the WebSocket's load its latency would be queueing: it gets a
     * load it can carry (one peer's messages go out one POST at a time).
     */
    private static final double OFFERED_PER_S_POLLING = 1_500;
    private static final double MAX_PER_PEER_PER_S_POLLING = 100;
    private static final int MIN_LATENCY_PER_PEER = 20;
    private static final double MIN_LATENCY_SECONDS = 2.0;
    private static final int THROUGHPUT_TOTAL = 20_000;
    private static final int THROUGHPUT_TOTAL_POLLING = 10_000;
    private static final int MIN_THROUGHPUT_PER_PEER = 20;

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration PHASE_GRACE = Duration.ofSeconds(10);
    private static final Duration THROUGHPUT_TIMEOUT = Duration.ofSeconds(20);
    private static final int CONNECT_CONCURRENCY = 64;

    private static final double TARGET_P99_MS = 5.0;
    private static final double TARGET_MSGS_PER_S = 20_000;
    private static final double TARGET_RATIO = 2.0;

    /** An ICE candidate line of a realistic length; with the other fields the payload is about 200 bytes. */
    private static final String CANDIDATE_LINE =
            "candidate:3305227424 1 udp 1686052607 127.0.0.1 54321 typ srflx raddr 0.0.0.0 rport 0 generation 0 ufrag Xk9a network-id 1 network-cost 10";

    private static boolean json;

    private BenchRelay() {
    }

    /** The payload of every benchmark message: a candidate, plus when it was sent and in which phase. */
    public record Sample(String candidate, String sdpMid, int sdpMLineIndex, String usernameFragment, long sentNanos, int phase) {

        /** The envelope around it, as the kit writes one; built from a template so writing it costs next to nothing after the clock was read. */
        String envelope() {
            return ENVELOPE_HEAD + sentNanos + ENVELOPE_PHASE + phase + "}}";
        }
    }

    /** {@code {"type":"candidate","payload":{..."sentNanos":}, written by the kit's mapper, so the template cannot drift from it. */
    private static final String ENVELOPE_HEAD;
    private static final String ENVELOPE_PHASE = ",\"phase\":";

    static {
        String written = Envelope.of(MessageTypes.CANDIDATE, new Sample(CANDIDATE_LINE, "0", 0, "Xk9a", 123456789L, 7)).toJson();
        String tail = "123456789" + ENVELOPE_PHASE + "7}}";
        if (!written.endsWith(tail)) {
            throw new IllegalStateException("the benchmark's envelope template no longer matches the kit's JSON: " + written);
        }
        ENVELOPE_HEAD = written.substring(0, written.length() - tail.length());
    }

    /** One (transport, rooms) measurement. */
    record Result(String transport, int rooms, double offeredPerS, Percentiles latency, double msgsPerS,
                  long sent, long delivered, long errors, String failure) {

        Map<String, Object> json() {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("transport", transport);
            out.put("rooms", rooms);
            out.put("p50_ms", round2(latency.median()));
            out.put("p99_ms", round2(latency.p99()));
            out.put("max_ms", round2(latency.max()));
            out.put("msgs_per_s", Math.round(msgsPerS));
            out.put("offered_msgs_per_s", Math.round(offeredPerS));
            out.put("sent", sent);
            out.put("delivered", delivered);
            out.put("errors", errors);
            if (failure != null) {
                out.put("failure", failure);
            }
            return out;
        }

        boolean ok() {
            return failure == null && delivered == sent && errors == 0;
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> flags = Flags.parse(args);
        json = flags.containsKey("json");
        long started = System.nanoTime();
        String machine = String.format(Locale.ROOT, "%d cores, Java %s (%s), %s %s, collector %s", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), System.getProperty("java.vm.name"), System.getProperty("os.name"),
                System.getProperty("os.arch"), collector());
        progress("relay benchmark on %s; everything in one JVM on 127.0.0.1", machine);

        // Warm-up of every code path (JIT, class loading, connection pools); not reported.
        for (String transport : List.of(WEBSOCKET, LONG_POLLING, ECHO)) {
            Result warm = run(transport, 1, 0.25);
            progress("warm-up %-12s %s", transport, warm.ok() ? "done" : "had trouble: " + describe(warm));
        }

        List<Result> results = new ArrayList<>();
        List<Result> baseline = new ArrayList<>();
        // The relay's WebSocket and its baseline side by side, so both see the same machine; long polling last.
        List<String[]> order = new ArrayList<>();
        for (int rooms : ROOMS) {
            order.add(new String[] {WEBSOCKET, String.valueOf(rooms)});
            order.add(new String[] {ECHO, String.valueOf(rooms)});
        }
        for (int rooms : ROOMS) {
            order.add(new String[] {LONG_POLLING, String.valueOf(rooms)});
        }
        for (String[] config : order) {
            String transport = config[0];
            int rooms = Integer.parseInt(config[1]);
            Result result = run(transport, rooms, 1.0);
            progress("%-12s %3d rooms: %s", transport, rooms, describe(result));
            (ECHO.equals(transport) ? baseline : results).add(result);
        }
        results.sort(java.util.Comparator.comparing((Result r) -> !r.transport().equals(WEBSOCKET)).thenComparingInt(Result::rooms));
        double seconds = (System.nanoTime() - started) / 1e9;

        Result ws500 = find(results, WEBSOCKET, 500);
        Result echo500 = find(baseline, ECHO, 500);
        double ratio = ws500 == null || echo500 == null ? Double.NaN : ws500.latency().p99() / echo500.latency().p99();
        boolean allOk = results.stream().allMatch(Result::ok) && baseline.stream().allMatch(Result::ok);

        if (json) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("results", results.stream().map(Result::json).toList());
            out.put("baseline", baseline.stream().map(Result::json).toList());
            out.put("ratio_p99", round2(ratio));
            Map<String, Object> env = new LinkedHashMap<>();
            env.put("cores", Runtime.getRuntime().availableProcessors());
            env.put("java", System.getProperty("java.version"));
            env.put("vm", System.getProperty("java.vm.name"));
            env.put("gc", collector());
            env.put("seconds", Percentiles.round(seconds));
            out.put("machine", env);
            System.out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(out));
        } else {
            System.out.println();
            System.out.println("machine: " + machine);
            System.out.printf(Locale.ROOT, "latency: paced, %.0f msgs/s offered in all over WebSocket (at most %.0f per peer), "
                    + "%.0f over long polling (at most %.0f per peer), at least %d per peer, after a warm-up%n",
                    OFFERED_PER_S, MAX_PER_PEER_PER_S, OFFERED_PER_S_POLLING, MAX_PER_PEER_PER_S_POLLING, MIN_LATENCY_PER_PEER);
            System.out.println("throughput: every peer sends a batch as fast as it can; messages delivered / time until the last arrived");
            System.out.println();
            header("through the relay (WebSocket: the same clients as the baseline; long polling: the kit's client)");
            results.forEach(BenchRelay::row);
            System.out.println();
            header("baseline: bare Jetty WebSocket echo, the same WebSocket clients");
            baseline.forEach(BenchRelay::row);
            System.out.println();
            System.out.printf(Locale.ROOT, "ratio p99 relay websocket / jetty echo at 500 rooms: %.2f%n", ratio);
            System.out.println("targets (reported, not asserted):");
            if (ws500 != null) {
                target("p99 at 500 rooms over WebSocket", String.format(Locale.ROOT, "%.2f ms", ws500.latency().p99()),
                        "< " + TARGET_P99_MS + " ms", ws500.latency().p99() < TARGET_P99_MS);
                target("throughput at 500 rooms over WebSocket", String.format(Locale.ROOT, "%,.0f msgs/s", ws500.msgsPerS()),
                        String.format(Locale.ROOT, ">= %,.0f msgs/s", TARGET_MSGS_PER_S), ws500.msgsPerS() >= TARGET_MSGS_PER_S);
            }
            target("ratio p99 relay/echo at 500 rooms", String.format(Locale.ROOT, "%.2f", ratio), "< " + TARGET_RATIO,
                    ratio < TARGET_RATIO);
            System.out.printf(Locale.ROOT, "%s in %.0f s%n", allOk ? "every message arrived" : "SOME CONFIGURATIONS FAILED OR LOST MESSAGES (see above)",
                    seconds);
        }
        System.out.flush();
        Runtime.getRuntime().halt(allOk ? 0 : 1);
    }

    // ------------------------------------------------------------------------------------------
    // One configuration: connect, warm up, latency phase, throughput phase, close.

    /** Runs one (transport, rooms) configuration; {@code scale} shrinks the phases (for the warm-up). */
    static Result run(String transport, int rooms, double scale) {
        int peers = 2 * rooms;
        boolean polling = LONG_POLLING.equals(transport);
        double rate = polling ? Math.min(OFFERED_PER_S_POLLING, peers * MAX_PER_PEER_PER_S_POLLING)
                : Math.min(OFFERED_PER_S, peers * MAX_PER_PEER_PER_S);
        int latencyCount = (int) Math.max(MIN_LATENCY_PER_PEER * peers, MIN_LATENCY_SECONDS * rate * scale);
        int warmupCount = (int) Math.max(5L * peers, 0.5 * rate * scale);
        int total = (int) ((polling ? THROUGHPUT_TOTAL_POLLING : THROUGHPUT_TOTAL) * scale);
        int batch = Math.max(MIN_THROUGHPUT_PER_PEER, total / peers);
        int throughputCount = batch * peers;

        Sink sink = new Sink(warmupCount, latencyCount, throughputCount);
        Relay relay = null;
        EchoServer echo = null;
        List<BenchPeer> clients = new ArrayList<>();
        try {
            URI base;
            if (ECHO.equals(transport)) {
                echo = new EchoServer();
                base = URI.create("ws://127.0.0.1:" + echo.port());
            } else {
                relay = Relay.start(RelayConfig.defaults().withPort(0).withStunPort(-1)
                        .withRateBurst(1_000_000).withRatePerSecond(1_000_000).withMaxRooms(10_000)
                        .withCaps(callguide.relay.Caps.generous()) // every client here is 127.0.0.1
                        .withWebSocketEnabled(true));
                base = URI.create(relay.url());
            }
            String failure = connect(transport, base, rooms, sink, clients);
            if (failure != null) {
                return new Result(transport, rooms, rate, Percentiles.of(List.of()), 0, 0, 0, sink.errors.get(), failure);
            }
            // A collection now rather than in the middle of a phase (the same for every configuration).
            System.gc();
            // Warm-up, then the latency phase: paced, round-robin over the peers.
            paced(clients, sink.warmup, warmupCount, rate);
            boolean warmed = sink.warmup.await(Duration.ofNanos((long) (warmupCount / rate * 1e9)).plus(PHASE_GRACE));
            long latencyStart = System.nanoTime();
            paced(clients, sink.latency, latencyCount, rate);
            boolean latencyDone = sink.latency.await(Duration.ofNanos((long) (latencyCount / rate * 1e9)).plus(PHASE_GRACE));
            double latencySeconds = (System.nanoTime() - latencyStart) / 1e9;

            // Throughput: every peer's whole batch handed to its transport at once.
            long t0 = System.nanoTime();
            for (int i = 0; i < batch; i++) {
                for (BenchPeer client : clients) {
                    sink.throughput.sent.incrementAndGet();
                    client.send(sample(sink.throughput.id));
                }
            }
            boolean throughputDone = sink.throughput.await(THROUGHPUT_TIMEOUT);
            long last = sink.throughput.lastArrival.get();
            long delivered = sink.throughput.delivered();
            double msgsPerS = delivered == 0 || last <= t0 ? 0 : delivered / ((last - t0) / 1e9);

            String problem = null;
            if (!warmed || !latencyDone || !throughputDone) {
                problem = (!warmed ? "warm-up" : !latencyDone ? "latency phase" : "throughput phase") + " timed out: "
                        + (sink.warmup.delivered() + "/" + warmupCount + " warm-up, ")
                        + (sink.latency.delivered() + "/" + latencyCount + " latency (" + String.format(Locale.ROOT, "%.1f s", latencySeconds) + "), ")
                        + (delivered + "/" + throughputCount + " throughput messages arrived");
            }
            long sent = sink.latency.sent.get() + sink.throughput.sent.get();
            long got = sink.latency.delivered() + delivered;
            return new Result(transport, rooms, rate, Percentiles.of(sink.latency.latenciesMs()), msgsPerS, sent, got,
                    sink.errors.get(), problem != null ? problem : sink.firstError);
        } catch (Exception e) {
            return new Result(transport, rooms, rate, Percentiles.of(sink.latency.latenciesMs()), 0,
                    sink.latency.sent.get() + sink.throughput.sent.get(), sink.latency.delivered() + sink.throughput.delivered(),
                    sink.errors.get(), "failed: " + e);
        } finally {
            closeAll(clients);
            if (relay != null) {
                relay.close();
            }
            if (echo != null) {
                echo.close();
            }
        }
    }

    /** Joins {@code rooms} rooms of two peers, at most {@link #CONNECT_CONCURRENCY} joins at a time; null or why not. */
    private static String connect(String transport, URI base, int rooms, Sink sink, List<BenchPeer> clients) throws InterruptedException {
        Semaphore permits = new Semaphore(CONNECT_CONCURRENCY);
        List<CompletableFuture<BenchPeer>> joins = new ArrayList<>();
        long deadline = System.nanoTime() + CONNECT_TIMEOUT.toNanos();
        for (int r = 0; r < rooms; r++) {
            for (String side : List.of("a", "b")) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !permits.tryAcquire(left, TimeUnit.NANOSECONDS)) {
                    joins.forEach(j -> j.thenAccept(clients::add));
                    return "connecting timed out after " + joins.size() + " of " + 2 * rooms + " joins started";
                }
                CompletableFuture<BenchPeer> join = join(transport, base, "bench-" + r, side, sink);
                join.whenComplete((p, e) -> permits.release());
                joins.add(join);
            }
        }
        String failure = null;
        for (CompletableFuture<BenchPeer> join : joins) {
            try {
                long left = Math.max(1, deadline - System.nanoTime());
                clients.add(join.get(left, TimeUnit.NANOSECONDS));
            } catch (Exception e) {
                join.thenAccept(p -> p.close()); // one that joins late still leaves
                if (failure == null) {
                    failure = "a join failed: " + (e.getCause() != null ? e.getCause() : e);
                }
            }
        }
        if (failure != null) {
            long failed = joins.stream().filter(j -> !j.isDone() || j.isCompletedExceptionally()).count();
            return failure + " (" + failed + " of " + joins.size() + " joins failed)";
        }
        return null;
    }

    private static CompletableFuture<BenchPeer> join(String transport, URI base, String room, String side, Sink sink) {
        return switch (transport) {
            case WEBSOCKET -> WsPeer.connect(URI.create(base.toString().replaceFirst("^http", "ws") + "/rooms/" + room + "?peer=" + side), sink);
            case LONG_POLLING -> RelayClient.longPolling(base, room, side, sink::onEnvelope).thenApply(KitPeer::new);
            default -> WsPeer.connect(URI.create(base + "/pair/" + room + "/" + side), sink);
        };
    }

    /** Sends {@code count} messages of {@code phase} at {@code rate} a second in all, round-robin over the peers. */
    private static void paced(List<BenchPeer> clients, Phase phase, int count, double rate) {
        long start = System.nanoTime();
        double interval = 1e9 / rate;
        for (int k = 0; k < count; k++) {
            long due = start + (long) (k * interval);
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            phase.sent.incrementAndGet();
            clients.get(k % clients.size()).send(sample(phase.id));
        }
    }

    private static Sample sample(int phase) {
        return new Sample(CANDIDATE_LINE, "0", 0, "Xk9a", System.nanoTime(), phase);
    }

    /** Closes every client (each leaves its room), waiting a bounded time for them to be gone. */
    private static void closeAll(List<BenchPeer> clients) {
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        for (BenchPeer client : clients) {
            try {
                closing.add(client.close());
            } catch (RuntimeException e) {
                // closing is best effort: the relay or server is stopped next anyway
            }
        }
        try {
            CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            progress("  (some clients did not close within 10 s: %s)", e);
        }
    }

    // ------------------------------------------------------------------------------------------
    // What arrives: counted per phase, latencies kept for the latency phase.

    /** One phase of a configuration: how many were sent and arrived, and when the last arrived. */
    static final class Phase {
        final int id;
        final CountDownLatch arrived;
        final AtomicLong sent = new AtomicLong();
        final AtomicLong lastArrival = new AtomicLong();
        private final long[] latencies;
        private final AtomicInteger count = new AtomicInteger();

        Phase(int id, int expected, boolean keepLatencies) {
            this.id = id;
            this.arrived = new CountDownLatch(expected);
            this.latencies = new long[keepLatencies ? expected : 0];
        }

        void arrived(long sentNanos, long now) {
            int i = count.getAndIncrement();
            if (i < latencies.length) {
                latencies[i] = now - sentNanos;
            }
            lastArrival.accumulateAndGet(now, Math::max);
            arrived.countDown();
        }

        boolean await(Duration timeout) {
            try {
                return arrived.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        long delivered() {
            return count.get();
        }

        List<Double> latenciesMs() {
            int n = Math.min(count.get(), latencies.length);
            List<Double> ms = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                if (latencies[i] > 0) { // 0: still being written by a late arrival after a timeout
                    ms.add(latencies[i] / 1e6);
                }
            }
            return ms;
        }
    }

    /** Where every client of one configuration hands what it receives. */
    static final class Sink {
        final Phase warmup;
        final Phase latency;
        final Phase throughput;
        final AtomicLong errors = new AtomicLong();
        volatile String firstError;

        Sink(int warmup, int latency, int throughput) {
            this.warmup = new Phase(0, warmup, false);
            this.latency = new Phase(1, latency, true);
            this.throughput = new Phase(2, throughput, false);
        }

        void onEnvelope(Envelope message) {
            if (MessageTypes.CANDIDATE.equals(message.type())) {
                onPayload(message.payload());
            } else if (MessageTypes.ERROR.equals(message.type())) {
                error("the relay answered an error: " + message.payload());
            } // welcome, peer-joined, peer-left: not measured
        }

        void onPayload(JsonNode payload) {
            long now = System.nanoTime();
            int phase = payload.path("phase").asInt(-1);
            Phase target = phase == 0 ? warmup : phase == 1 ? latency : phase == 2 ? throughput : null;
            if (target == null) {
                error("a message without a phase: " + payload);
                return;
            }
            target.arrived(payload.path("sentNanos").asLong(), now);
        }

        void error(String what) {
            errors.incrementAndGet();
            if (firstError == null) {
                firstError = what;
            }
        }
    }

    // ------------------------------------------------------------------------------------------
    // The clients: the kit's relay clients, and bare JDK WebSockets for the echo baseline.

    interface BenchPeer {
        void send(Sample sample);

        CompletableFuture<Void> close();
    }

    /** A kit relay client (WebSocket or long polling). */
    record KitPeer(RelayClient client) implements BenchPeer {
        @Override
        public void send(Sample sample) {
            client.send(MessageTypes.CANDIDATE, sample);
        }

        @Override
        public CompletableFuture<Void> close() {
            client.close();
            return client.closed();
        }
    }

    /**
     * A JDK WebSocket to the relay or to the echo server, the one client of both: the same message
     * (the envelope the kit's client would write), sent in order with one send outstanding as the
     * kit's client does, each frame read back where it arrives and handed to the {@link Sink}. Joined
     * once the {@code welcome} arrived (the echo server sends one too).
     */
    static final class WsPeer implements BenchPeer, WebSocket.Listener {
        /** One client for every peer, as the kit shares one for every relay client. */
        private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

        private final Sink sink;
        private final CompletableFuture<BenchPeer> paired = new CompletableFuture<>();
        private final CompletableFuture<Void> closed = new CompletableFuture<>();
        private final StringBuilder partial = new StringBuilder();
        private volatile WebSocket socket;
        private CompletableFuture<?> lastSend = CompletableFuture.completedFuture(null);

        private WsPeer(Sink sink) {
            this.sink = sink;
        }

        static CompletableFuture<BenchPeer> connect(URI uri, Sink sink) {
            WsPeer peer = new WsPeer(sink);
            HTTP.newWebSocketBuilder()
                    .connectTimeout(Duration.ofSeconds(10))
                    .buildAsync(uri, peer)
                    .whenComplete((ws, error) -> {
                        if (error != null) {
                            peer.paired.completeExceptionally(error);
                            peer.closed.complete(null);
                        }
                    });
            return peer.paired.orTimeout(10, TimeUnit.SECONDS);
        }

        @Override
        public synchronized void send(Sample sample) {
            String text = sample.envelope();
            lastSend = lastSend.handle((v, e) -> null).thenCompose(v -> {
                WebSocket ws = socket;
                if (ws == null || ws.isOutputClosed()) {
                    return CompletableFuture.failedFuture(new IllegalStateException("peer closed"));
                }
                return ws.sendText(text, true);
            });
        }

        @Override
        public CompletableFuture<Void> close() {
            WebSocket ws = socket;
            if (ws == null) {
                closed.complete(null);
                return closed;
            }
            synchronized (this) {
                lastSend.handle((v, e) -> ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye")).thenCompose(f -> f)
                        .orTimeout(2, TimeUnit.SECONDS)
                        .whenComplete((v, e) -> {
                            if (e != null) {
                                ws.abort();
                                closed.complete(null);
                            }
                        });
            }
            return closed.completeOnTimeout(null, 3, TimeUnit.SECONDS).whenComplete((v, e) -> ws.abort());
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            socket = webSocket;
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                try {
                    JsonNode message = Json.MAPPER.readTree(text);
                    String type = message.path("type").asText();
                    if (MessageTypes.WELCOME.equals(type)) {
                        paired.complete(this);
                    } else if (MessageTypes.CANDIDATE.equals(type)) {
                        sink.onPayload(message.path("payload"));
                    } else if (MessageTypes.ERROR.equals(type)) {
                        sink.error("the relay answered an error: " + message.path("payload"));
                    } // peer-joined, peer-left: not measured
                } catch (Exception e) {
                    sink.error("a frame that is not an envelope: " + e.getMessage());
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            paired.completeExceptionally(new IllegalStateException("closed by the server: " + statusCode + " " + reason));
            closed.complete(null);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            paired.completeExceptionally(error);
            closed.complete(null);
        }
    }

    /**
     * The baseline server: bare Jetty 12, no Javalin, no servlet, no relay logic. Connections to
     * {@code /pair/{n}/{a|b}} are paired by {@code n}; once both are there each gets a
     * {@code welcome} (the relay's join handshake has one too), and from then on every text frame
     * goes to the partner unchanged. The same thread pool shape and idle timeout as the relay's.
     */
    static final class EchoServer implements AutoCloseable {
        private final Server server;
        private final ServerConnector connector;
        private final Map<String, EchoSocket[]> pairs = new ConcurrentHashMap<>();

        EchoServer() throws Exception {
            QueuedThreadPool threads = new QueuedThreadPool(250, 8);
            threads.setName("echo-http");
            threads.setDaemon(true);
            server = new Server(threads);
            connector = new ServerConnector(server);
            connector.setHost("127.0.0.1");
            connector.setPort(0);
            server.addConnector(connector);
            server.setStopTimeout(500);
            server.setHandler(WebSocketUpgradeHandler.from(server, container -> {
                container.setIdleTimeout(Duration.ofMinutes(2));
                container.addMapping("/pair/*", (request, response, callback) -> {
                    String[] parts = request.getHttpURI().getPath().split("/"); // "", "pair", n, side
                    if (parts.length != 4 || !(parts[3].equals("a") || parts[3].equals("b"))) {
                        response.setStatus(404);
                        callback.succeeded();
                        return null;
                    }
                    return new EchoSocket(this, parts[2], parts[3].equals("a") ? 0 : 1);
                });
            }));
            server.start();
        }

        int port() {
            return connector.getLocalPort();
        }

        void opened(EchoSocket socket) {
            EchoSocket[] pair = pairs.computeIfAbsent(socket.pair, k -> new EchoSocket[2]);
            synchronized (pair) {
                pair[socket.side] = socket;
                EchoSocket other = pair[1 - socket.side];
                if (other != null) {
                    socket.partner = other;
                    other.partner = socket;
                    String welcome = "{\"type\":\"welcome\",\"seq\":1,\"payload\":{\"room\":\"" + socket.pair + "\"}}";
                    socket.session.sendText(welcome, Callback.NOOP);
                    other.session.sendText(welcome, Callback.NOOP);
                }
            }
        }

        void closed(EchoSocket socket) {
            EchoSocket[] pair = pairs.get(socket.pair);
            if (pair != null) {
                synchronized (pair) {
                    pair[socket.side] = null;
                    if (pair[0] == null && pair[1] == null) {
                        pairs.remove(socket.pair, pair);
                    }
                }
            }
        }

        @Override
        public void close() {
            try {
                server.stop();
            } catch (Exception e) {
                // best effort, as for the relay
            }
        }
    }

    /** One side of a pair on the echo server: forwards each text frame to its partner. */
    public static final class EchoSocket implements Session.Listener.AutoDemanding {
        private final EchoServer server;
        private final String pair;
        private final int side;
        private volatile Session session;
        private volatile EchoSocket partner;

        EchoSocket(EchoServer server, String pair, int side) {
            this.server = server;
            this.pair = pair;
            this.side = side;
        }

        @Override
        public void onWebSocketOpen(Session session) {
            this.session = session;
            server.opened(this);
        }

        @Override
        public void onWebSocketText(String message) {
            EchoSocket to = partner;
            if (to != null && to.session.isOpen()) {
                to.session.sendText(message, Callback.NOOP);
            }
        }

        @Override
        public void onWebSocketClose(int statusCode, String reason) {
            server.closed(this);
        }

        @Override
        public void onWebSocketError(Throwable cause) {
            server.closed(this);
        }
    }

    // ------------------------------------------------------------------------------------------
    // Output.

    private static Result find(List<Result> results, String transport, int rooms) {
        return results.stream().filter(r -> r.transport().equals(transport) && r.rooms() == rooms).findFirst().orElse(null);
    }

    private static String describe(Result r) {
        String figures = String.format(Locale.ROOT, "p50 %.2f  p99 %.2f  max %.2f ms at %,.0f msgs/s offered; %,.0f msgs/s flat out",
                r.latency().median(), r.latency().p99(), r.latency().max(), r.offeredPerS(), r.msgsPerS());
        String counts = String.format(Locale.ROOT, " (%d/%d arrived, %d errors)", r.delivered(), r.sent(), r.errors());
        return figures + counts + (r.failure() != null ? " -- " + r.failure() : "");
    }

    private static void header(String title) {
        System.out.println(title);
        System.out.printf(Locale.ROOT, "  %-12s %5s %8s %8s %8s %10s %10s%n", "transport", "rooms", "p50 ms", "p99 ms", "max ms", "msgs/s", "offered/s");
    }

    private static void row(Result r) {
        System.out.printf(Locale.ROOT, "  %-12s %5d %8.2f %8.2f %8.2f %,10.0f %,10.0f%s%n", r.transport(), r.rooms(),
                r.latency().median(), r.latency().p99(), r.latency().max(), r.msgsPerS(), r.offeredPerS(),
                r.ok() ? "" : String.format(Locale.ROOT, "   %d/%d arrived, %d errors%s", r.delivered(), r.sent(), r.errors(),
                        r.failure() != null ? ": " + r.failure() : ""));
    }

    private static void target(String what, String measured, String target, boolean met) {
        System.out.printf(Locale.ROOT, "  %-40s %14s  target %-18s %s%n", what, measured, target, met ? "met" : "MISSED");
    }

    /** Rounded to 0.01; null (JSON null) when there is no figure. */
    private static Double round2(double value) {
        return Double.isNaN(value) || Double.isInfinite(value) ? null : Math.round(value * 100) / 100.0;
    }

    private static void progress(String format, Object... args) {
        (json ? System.err : System.out).printf(Locale.ROOT, format + "%n", args);
    }

    /** The garbage collectors of this JVM (young and old), which set the tail at 500 rooms. */
    private static String collector() {
        return String.join(" + ", java.lang.management.ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(java.lang.management.GarbageCollectorMXBean::getName).toList());
    }
}
