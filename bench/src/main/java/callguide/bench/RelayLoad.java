package callguide.bench;

import callguide.kit.signal.Envelope;
import callguide.kit.signal.MessageTypes;
import callguide.kit.signal.RelayClient;
import callguide.relay.Relay;
import callguide.relay.RelayConfig;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * One configuration of {@code bench relay}: a relay (or the bare Jetty echo) in this JVM, {@code rooms}
 * rooms of two clients over one transport, a warm-up, a paced latency phase and a flat-out
 * throughput phase, each bounded; see {@link BenchRelay} for what is measured and why.
 */
final class RelayLoad {
    static final String WEBSOCKET = "websocket";
    static final String LONG_POLLING = "long-polling";
    static final String ECHO = "jetty-echo";

    /** Total offered load of the latency phase over a WebSocket, spread evenly over the peers. */
    static final double OFFERED_PER_S = 5_000;
    /** ... but no peer offers more than this (a single room stays a moderate load). */
    static final double MAX_PER_PEER_PER_S = 500;
    /**
     * Long polling costs two HTTP requests a message and saturates at a few thousand messages a
     * second on two cores, so at the WebSocket's load its latency would be queueing: it gets a
     * load it can carry (one peer's messages go out one POST at a time).
     */
    static final double OFFERED_PER_S_POLLING = 1_500;

    static final double MAX_PER_PEER_PER_S_POLLING = 100;
    static final int MIN_LATENCY_PER_PEER = 20;
    static final double MIN_LATENCY_SECONDS = 2.0;
    static final int THROUGHPUT_TOTAL = 20_000;
    static final int THROUGHPUT_TOTAL_POLLING = 10_000;
    static final int MIN_THROUGHPUT_PER_PEER = 20;

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
    static final Duration PHASE_GRACE = Duration.ofSeconds(10);
    static final Duration THROUGHPUT_TIMEOUT = Duration.ofSeconds(20);
    static final int CONNECT_CONCURRENCY = 64;

    /** An ICE candidate line of a realistic length; with the other fields the payload is about 200 bytes. */
    private static final String CANDIDATE_LINE =
            "candidate:3305227424 1 udp 1686052607 127.0.0.1 54321 typ srflx raddr 0.0.0.0 rport 0 generation 0 "
                    + "ufrag Xk9a network-id 1 network-cost 10";

    /** The payload of every benchmark message: a candidate, plus when it was sent and in which phase. */
    public record Sample(
            String candidate, String sdpMid, int sdpMLineIndex, String usernameFragment, long sentNanos, int phase) {

        /**
         * The envelope around it, as the kit writes one; built from a template so writing it costs next to nothing
         * after the clock was read.
         */
        String envelope() {
            return ENVELOPE_HEAD + sentNanos + ENVELOPE_PHASE + phase + "}}";
        }
    }

    /**
     * {@code {"type":"candidate","payload":{..."sentNanos":}, written by the kit's mapper, so the template cannot drift
     * from it.
     */
    private static final String ENVELOPE_HEAD;

    private static final String ENVELOPE_PHASE = ",\"phase\":";

    static {
        String written = Envelope.of(MessageTypes.CANDIDATE, new Sample(CANDIDATE_LINE, "0", 0, "Xk9a", 123456789L, 7))
                .toJson();
        String tail = "123456789" + ENVELOPE_PHASE + "7}}";
        if (!written.endsWith(tail)) {
            throw new IllegalStateException(
                    "the benchmark's envelope template no longer matches the kit's JSON: " + written);
        }
        ENVELOPE_HEAD = written.substring(0, written.length() - tail.length());
    }

    private final PrintStream log;

    /** {@code log}: where notes on trouble go (stderr when the figures go to stdout as JSON). */
    RelayLoad(PrintStream log) {
        this.log = log;
    }

    /** Runs one (transport, rooms) configuration; {@code scale} shrinks the phases (for the warm-up). */
    RelayResult run(String transport, int rooms, double scale) {
        int peers = 2 * rooms;
        boolean polling = LONG_POLLING.equals(transport);
        double rate = polling
                ? Math.min(OFFERED_PER_S_POLLING, peers * MAX_PER_PEER_PER_S_POLLING)
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
                relay = Relay.start(RelayConfig.defaults()
                        .withPort(0)
                        .withStunPort(-1)
                        .withRateBurst(1_000_000)
                        .withRatePerSecond(1_000_000)
                        .withMaxRooms(10_000)
                        .withCaps(callguide.relay.Caps.generous()) // every client here is 127.0.0.1
                        .withWebSocketEnabled(true));
                base = URI.create(relay.url());
            }
            String failure = connect(transport, base, rooms, sink, clients);
            if (failure != null) {
                return new RelayResult(
                        transport, rooms, rate, Percentiles.of(List.of()), 0, 0, 0, sink.errors.get(), failure);
            }
            // A collection now rather than in the middle of a phase (the same for every configuration).
            System.gc();
            // Warm-up, then the latency phase: paced, round-robin over the peers.
            paced(clients, sink.warmup, warmupCount, rate);
            boolean warmed = sink.warmup.await(
                    Duration.ofNanos((long) (warmupCount / rate * 1e9)).plus(PHASE_GRACE));
            long latencyStart = System.nanoTime();
            paced(clients, sink.latency, latencyCount, rate);
            boolean latencyDone = sink.latency.await(
                    Duration.ofNanos((long) (latencyCount / rate * 1e9)).plus(PHASE_GRACE));
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
                        + (sink.latency.delivered() + "/" + latencyCount + " latency ("
                                + String.format(Locale.ROOT, "%.1f s", latencySeconds) + "), ")
                        + (delivered + "/" + throughputCount + " throughput messages arrived");
            }
            long sent = sink.latency.sent.get() + sink.throughput.sent.get();
            long got = sink.latency.delivered() + delivered;
            return new RelayResult(
                    transport,
                    rooms,
                    rate,
                    Percentiles.of(sink.latency.latenciesMs()),
                    msgsPerS,
                    sent,
                    got,
                    sink.errors.get(),
                    problem != null ? problem : sink.firstError);
        } catch (Exception e) {
            return new RelayResult(
                    transport,
                    rooms,
                    rate,
                    Percentiles.of(sink.latency.latenciesMs()),
                    0,
                    sink.latency.sent.get() + sink.throughput.sent.get(),
                    sink.latency.delivered() + sink.throughput.delivered(),
                    sink.errors.get(),
                    "failed: " + e);
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

    /**
     * Joins {@code rooms} rooms of two peers, at most {@link #CONNECT_CONCURRENCY} joins at a time; null or why not.
     */
    private static String connect(String transport, URI base, int rooms, Sink sink, List<BenchPeer> clients)
            throws InterruptedException {
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
            long failed = joins.stream()
                    .filter(j -> !j.isDone() || j.isCompletedExceptionally())
                    .count();
            return failure + " (" + failed + " of " + joins.size() + " joins failed)";
        }
        return null;
    }

    private static CompletableFuture<BenchPeer> join(String transport, URI base, String room, String side, Sink sink) {
        return switch (transport) {
            case WEBSOCKET ->
                BenchPeer.WsPeer.connect(
                        URI.create(base.toString().replaceFirst("^http", "ws") + "/rooms/" + room + "?peer=" + side),
                        sink);
            case LONG_POLLING ->
                RelayClient.longPolling(base, room, side, sink::onEnvelope).thenApply(BenchPeer.KitPeer::new);
            default -> BenchPeer.WsPeer.connect(URI.create(base + "/pair/" + room + "/" + side), sink);
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
    private void closeAll(List<BenchPeer> clients) {
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
            log.printf(Locale.ROOT, "  (some clients did not close within 10 s: %s)%n", e);
        }
    }

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
}
