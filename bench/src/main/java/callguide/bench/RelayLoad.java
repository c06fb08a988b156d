package callguide.bench;

import callguide.kit.signal.Envelope;
import callguide.kit.signal.Json;
import callguide.kit.signal.MessageTypes;
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
    /** PeerJS server in a process of its own ({@link PeerJsServer}): the same WebSocket clients, its protocol. */
    static final String PEERJS = "peerjs";

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
    /**
     * Long polling's joins at a time (each a POST, then the first poll that brings the welcome); WebSocket joins all
     * start at once, the load generator keeping {@link NioWebSockets#HANDSHAKES_IN_FLIGHT} of them in flight.
     */
    static final int CONNECT_CONCURRENCY = 64;

    /** An ICE candidate line of a realistic length; with the other fields the payload is about 200 bytes. */
    private static final String CANDIDATE_LINE =
            "candidate:3305227424 1 udp 1686052607 127.0.0.1 54321 typ srflx raddr 0.0.0.0 rport 0 generation 0 "
                    + "ufrag Xk9a network-id 1 network-cost 10";

    /** An SDP offer of about 4 KB: audio and video, the codecs and feedback lines a browser offers. */
    private static final String OFFER_SDP = offerSdp();

    private static String offerSdp() {
        StringBuilder sdp = new StringBuilder("v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
                + "a=group:BUNDLE 0 1\r\na=msid-semantic: WMS stream\r\n"
                + "m=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126\r\nc=IN IP4 0.0.0.0\r\n"
                + "a=ice-ufrag:Xk9a\r\na=ice-pwd:4ZcD5Mz0eJv8Q3aQmC1x2pLr\r\na=ice-options:trickle\r\n"
                + "a=fingerprint:sha-256 D2:01:54:E6:E0:31:F4:90:38:99:FF:70:15:06:97:39:B0:FB:15:FD:6E:65:6F:A7:ED:96"
                + ":B0:BF:0F:F0:8B:D0\r\na=setup:actpass\r\na=mid:0\r\na=sendrecv\r\na=rtcp-mux\r\n"
                + "a=rtpmap:111 opus/48000/2\r\na=fmtp:111 minptime=10;useinbandfec=1\r\n"
                + "m=video 9 UDP/TLS/RTP/SAVPF");
        for (int pt = 96; sdp.length() < 3_900; pt++) {
            sdp.append("\r\na=rtpmap:")
                    .append(pt)
                    .append(" VP8/90000\r\na=rtcp-fb:")
                    .append(pt)
                    .append(" goog-remb\r\na=rtcp-fb:")
                    .append(pt)
                    .append(" transport-cc\r\na=rtcp-fb:")
                    .append(pt)
                    .append(" nack pli");
        }
        return sdp.append("\r\n").toString();
    }

    /** The payload of a candidate-sized benchmark message: a candidate, plus when it was sent and in which phase. */
    public record Sample(
            String candidate, String sdpMid, int sdpMLineIndex, String usernameFragment, long sentNanos, int phase) {}

    /** The payload of an offer-sized benchmark message: an SDP offer of about 4 KB, plus the same two fields. */
    public record OfferSample(String type, String sdp, long sentNanos, int phase) {}

    /**
     * What a benchmark message carries: a candidate (~300 bytes on the wire) or an offer (~4 KB). Each message is
     * its head (written once by the kit's mapper, so it cannot drift from the kit's JSON), then the send time and
     * the phase: writing one costs next to nothing after the clock was read.
     */
    enum Payload {
        CANDIDATE("candidate", MessageTypes.CANDIDATE, new Sample(CANDIDATE_LINE, "0", 0, "Xk9a", NANOS, TAG)),
        OFFER("offer", MessageTypes.OFFER, new OfferSample("offer", OFFER_SDP, NANOS, TAG));

        final String label;
        final String relayType;
        /** The payload's JSON up to the value of {@code sentNanos}. */
        final String head;
        /** A whole relay envelope up to the value of {@code sentNanos}, as the kit's client writes one. */
        final String relayHead;

        Payload(String label, String relayType, Record template) {
            this.label = label;
            this.relayType = relayType;
            this.head = cut(Json.write(template), TAIL);
            this.relayHead = cut(Envelope.of(relayType, template).toJson(), TAIL + "}");
        }

        /** PeerJS's message type: the same word, upper case. */
        String peerJsType() {
            return relayType.toUpperCase(Locale.ROOT);
        }

        /** A PeerJS message to {@code dst} up to the value of {@code sentNanos}. */
        String peerJsHead(String dst) {
            return "{\"type\":\"" + peerJsType() + "\",\"dst\":" + Json.write(dst) + ",\"payload\":" + head;
        }

        private static String cut(String written, String tail) {
            if (!written.endsWith(tail)) {
                throw new IllegalStateException(
                        "the benchmark's message template no longer matches the kit's JSON: " + written);
            }
            return written.substring(0, written.length() - tail.length());
        }
    }

    /** Room enough for any {@link #tail}: a long's digits and sign, the phase's key, an int, two braces. */
    static final int TAIL_BYTES = 64;

    private static final byte[] PHASE_KEY = ",\"phase\":".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /**
     * Writes the rest of a message after its head into {@code into}: {@code sentNanos}, then {@code phase}, closing
     * the payload and message; how many bytes. No String is built: it is written for every message sent.
     */
    static int tail(byte[] into, long sentNanos, int phase) {
        int n = digits(into, 0, sentNanos);
        System.arraycopy(PHASE_KEY, 0, into, n, PHASE_KEY.length);
        n = digits(into, n + PHASE_KEY.length, phase);
        into[n++] = '}';
        into[n++] = '}';
        return n;
    }

    /** Writes {@code value} in decimal at {@code at}; where it ends. */
    private static int digits(byte[] into, int at, long value) {
        if (value < 0) {
            byte[] text = Long.toString(value).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            System.arraycopy(text, 0, into, at, text.length);
            return at + text.length;
        }
        int length = 1;
        for (long v = value; v >= 10; v /= 10) {
            length++;
        }
        long v = value;
        for (int i = at + length - 1; i >= at; i--) {
            into[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        return at + length;
    }

    private static final long NANOS = 123456789L;
    private static final int TAG = 7;
    private static final String ENVELOPE_PHASE = ",\"phase\":";
    private static final String TAIL = NANOS + ENVELOPE_PHASE + TAG + "}";

    private final PrintStream log;
    /**
     * Configurations measured so far, in the rooms' names: every configuration's rooms and PeerJS ids are new, so a
     * server that has not yet seen the last one's clients leave cannot take a new client for an old one (PeerJS
     * server takes a known id and token as a reconnection, and sends no OPEN).
     */
    private final java.util.concurrent.atomic.AtomicInteger configurations =
            new java.util.concurrent.atomic.AtomicInteger();

    /** {@code log}: where notes on trouble go (stderr when the figures go to stdout as JSON). */
    RelayLoad(PrintStream log) {
        this.log = log;
    }

    /** Runs one (transport, rooms) configuration in this JVM; {@code scale} shrinks the phases (for the warm-up). */
    RelayResult run(String transport, int rooms, double scale) {
        Relay relay = null;
        EchoServer echo = null;
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
            return measure(transport, base, rooms, Payload.CANDIDATE, scale, null);
        } catch (Exception e) {
            return failed(transport, rooms, Payload.CANDIDATE, "failed: " + e);
        } finally {
            if (relay != null) {
                relay.close();
            }
            if (echo != null) {
                echo.close();
            }
        }
    }

    /** A configuration that could not be measured at all. */
    static RelayResult failed(String transport, int rooms, Payload payload, String why) {
        return new RelayResult(
                transport,
                rooms,
                0,
                Percentiles.of(List.of()),
                0,
                0,
                0,
                0,
                why,
                new RelayResult.Versus(payload.label, Double.NaN, 0, Double.NaN, null, null));
    }

    /**
     * Measures one configuration against a server already running at {@code base} (the relay or PeerJS server
     * over WebSocket, the relay over long polling, the echo): {@code rooms} pairs joined (timed), a warm-up, the
     * paced latency phase, the flat-out phase (and how evenly the pairs were served in it, at the half-way mark).
     * {@code server}: the server's process, whose memory is read idle and after the traffic; null when in this JVM.
     */
    RelayResult measure(String transport, URI base, int rooms, Payload payload, double scale, ServerProcess server) {
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
        List<BenchPeer> clients = new ArrayList<>();
        ServerProcess.Memory idle = server != null ? server.memory() : null;
        NioWebSockets sockets = null;
        NioHttp http = null;
        try {
            if (polling) {
                http = new NioHttp("bench-" + transport + "-" + rooms);
            } else {
                sockets = new NioWebSockets("bench-" + transport + "-" + rooms);
            }
            long overflows = listenOverflows();
            long joinStart = System.nanoTime();
            String prefix = "bench" + configurations.incrementAndGet() + "-";
            String failure = connect(transport, base, prefix, rooms, payload, sink, clients, sockets, http);
            double joinsMs = (System.nanoTime() - joinStart) / 1e6;
            long overflowed = listenOverflows() - overflows;
            if (overflows >= 0 && overflowed > 0) {
                log.printf(
                        Locale.ROOT,
                        "  (%s at %d rooms: listen queues on this machine overflowed %,d times during the joins; each"
                                + " connection dropped waits a second or more to be tried again)%n",
                        transport,
                        rooms,
                        overflowed);
            }
            if (failure != null) {
                return new RelayResult(
                        transport,
                        rooms,
                        rate,
                        Percentiles.of(List.of()),
                        0,
                        0,
                        0,
                        sink.errors.get(),
                        failure,
                        new RelayResult.Versus(payload.label, joinsMs, peers, Double.NaN, idle, null));
            }
            // A collection now rather than in the middle of a phase (the same for every configuration).
            System.gc();
            // Warm-up, then the latency phase: paced, round-robin over the peers.
            paced(clients, sink.warmup, warmupCount, rate);
            boolean warmed = sink.warmup.await(
                    Duration.ofNanos((long) (warmupCount / rate * 1e9)).plus(PHASE_GRACE));
            if (!warmed) { // a server that loses messages: said now, not after every phase's timeout
                return new RelayResult(
                        transport,
                        rooms,
                        rate,
                        Percentiles.of(List.of()),
                        0,
                        sink.warmup.sent.get(),
                        sink.warmup.delivered(),
                        sink.errors.get(),
                        "warm-up timed out: " + sink.warmup.delivered() + "/" + warmupCount + " arrived"
                                + (sink.firstError != null ? "; " + sink.firstError : ""),
                        new RelayResult.Versus(payload.label, joinsMs, peers, Double.NaN, idle, null));
            }
            long latencyStart = System.nanoTime();
            paced(clients, sink.latency, latencyCount, rate);
            boolean latencyDone = sink.latency.await(
                    Duration.ofNanos((long) (latencyCount / rate * 1e9)).plus(PHASE_GRACE));
            double latencySeconds = (System.nanoTime() - latencyStart) / 1e9;

            // Throughput: every peer's whole batch handed to its transport at once.
            long cpu0 = cpuNanos();
            long serverCpu0 = server != null ? server.cpuNanos() : -1;
            long polls0 = sink.polls.get();
            long t0 = System.nanoTime();
            for (int i = 0; i < batch; i++) {
                for (BenchPeer client : clients) {
                    sink.throughput.sent.incrementAndGet();
                    client.send(System.nanoTime(), sink.throughput.id);
                }
            }
            double fairness = fairness(clients, sink.throughput);
            boolean throughputDone = sink.throughput.await(THROUGHPUT_TIMEOUT);
            long last = sink.throughput.lastArrival.get();
            double busy = cpu0 < 0 || last <= t0 ? Double.NaN : (cpuNanos() - cpu0) / (double) (last - t0);
            double serverBusy =
                    serverCpu0 < 0 || last <= t0 ? Double.NaN : (server.cpuNanos() - serverCpu0) / (double) (last - t0);
            long delivered = sink.throughput.delivered();
            double msgsPerS = delivered == 0 || last <= t0 ? 0 : delivered / ((last - t0) / 1e9);
            if (polling && sink.polls.get() > polls0) {
                log.printf(
                        Locale.ROOT,
                        "  (long polling at %d rooms, flat out: %.2f messages a poll answered)%n",
                        rooms,
                        delivered / (double) (sink.polls.get() - polls0));
            }
            ServerProcess.Memory after = server != null ? server.memory() : null;

            String problem = null;
            if (!warmed || !latencyDone || !throughputDone) {
                problem = (!warmed ? "warm-up" : !latencyDone ? "latency phase" : "throughput phase") + " timed out: "
                        + (sink.warmup.delivered() + "/" + warmupCount + " warm-up, ")
                        + (sink.latency.delivered() + "/" + latencyCount + " latency ("
                                + String.format(Locale.ROOT, "%.1f s", latencySeconds) + "), ")
                        + (delivered + "/" + throughputCount + " throughput messages arrived");
            }
            if (server != null && !server.alive()) {
                problem = "the server died" + (problem != null ? "; " + problem : "");
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
                    problem != null ? problem : sink.firstError,
                    new RelayResult.Versus(payload.label, joinsMs, peers, fairness, idle, after, busy, serverBusy));
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
                    "failed: " + e,
                    new RelayResult.Versus(payload.label, Double.NaN, peers, Double.NaN, idle, null));
        } finally {
            closeAll(clients);
            if (http != null) {
                http.close();
            }
            if (sockets != null) {
                sockets.close();
                if (sockets.sendWaits() > 0) {
                    log.printf(
                            Locale.ROOT,
                            "  (load generator, %s at %d rooms: %,d sends waited for a socket that took no more;"
                                    + " sockets full %,d times)%n",
                            transport,
                            rooms,
                            sockets.sendWaits(),
                            sockets.socketsFull());
                }
            }
        }
    }

    /**
     * How evenly the pairs are served when the server has more than it can carry: once half the flat-out batch has
     * arrived, the deliveries of the slowest pair over those of the median pair (1: every pair its share). NaN when
     * the half-way mark never came, or with one pair.
     */
    private static double fairness(List<BenchPeer> clients, Phase phase) {
        if (clients.size() < 4 || !phase.awaitHalf(THROUGHPUT_TIMEOUT)) {
            return Double.NaN;
        }
        long[] pairs = new long[clients.size() / 2];
        for (int i = 0; i + 1 < clients.size(); i += 2) { // clients are in join order: room r is 2r and 2r + 1
            pairs[i / 2] = clients.get(i).flatOutReceived() + clients.get(i + 1).flatOutReceived();
        }
        java.util.Arrays.sort(pairs);
        long median = pairs[(pairs.length - 1) / 2];
        return median == 0 ? Double.NaN : (double) pairs[0] / median;
    }

    /**
     * Joins {@code rooms} rooms of two peers, named {@code prefix} and a number (over long polling at most {@link
     * #CONNECT_CONCURRENCY} joins at a time through {@code http}, over WebSocket all at once through {@code
     * sockets}); null or why not.
     * The clients land in join order: room r's two peers at 2r and 2r + 1.
     */
    private static String connect(
            String transport,
            URI base,
            String prefix,
            int rooms,
            Payload payload,
            Sink sink,
            List<BenchPeer> clients,
            NioWebSockets sockets,
            NioHttp http)
            throws InterruptedException {
        Semaphore permits = new Semaphore(sockets == null ? CONNECT_CONCURRENCY : 2 * rooms);
        List<CompletableFuture<BenchPeer>> joins = new ArrayList<>();
        long deadline = System.nanoTime() + CONNECT_TIMEOUT.toNanos();
        for (int r = 0; r < rooms; r++) {
            for (String side : List.of("a", "b")) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !permits.tryAcquire(left, TimeUnit.NANOSECONDS)) {
                    joins.forEach(j -> j.thenAccept(clients::add));
                    return "connecting timed out after " + joins.size() + " of " + 2 * rooms + " joins started";
                }
                CompletableFuture<BenchPeer> join =
                        join(transport, base, prefix + r, side, payload, sink, sockets, http);
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

    private static CompletableFuture<BenchPeer> join(
            String transport,
            URI base,
            String room,
            String side,
            Payload payload,
            Sink sink,
            NioWebSockets sockets,
            NioHttp http) {
        String ws = base.toString().replaceFirst("^http", "ws");
        return switch (transport) {
            case WEBSOCKET ->
                BenchPeer.WsPeer.connect(
                        sockets, URI.create(ws + "/rooms/" + room + "?peer=" + side), payload.relayHead, sink);
            case LONG_POLLING -> BenchPeer.PollingPeer.connect(http, base, room, side, payload.relayHead, sink);
            case PEERJS -> {
                // One pair of PeerJS clients is one room: each sends to the other's id.
                String id = room + "-" + side;
                String other = room + "-" + (side.equals("a") ? "b" : "a");
                yield BenchPeer.WsPeer.connect(
                        sockets,
                        URI.create(ws + "/peerjs?key=" + PeerJsServer.KEY + "&id=" + id + "&token=t-" + id),
                        payload.peerJsHead(other),
                        sink);
            }
            default ->
                BenchPeer.WsPeer.connect(
                        sockets, URI.create(ws + "/pair/" + room + "/" + side), payload.relayHead, sink);
        };
    }

    /**
     * The CPU time of this JVM, the load generator (every thread: its selector, its sender, its collector), or -1
     * where the JVM does not say.
     */
    private static long cpuNanos() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                        instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime()
                : -1;
    }

    /**
     * The kernel's count of connections dropped because a listen queue was full ({@code ListenOverflows} in {@code
     * /proc/net/netstat}), machine-wide; -1 where there is no such file. A server whose accept queue is shorter than
     * the joins in flight (Jetty's default is the JDK's 50) loses connections this way, and its joins slow down.
     */
    static long listenOverflows() {
        try {
            List<String> lines = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/net/netstat"));
            for (int i = 0; i + 1 < lines.size(); i++) {
                String[] names = lines.get(i).split(" ");
                String[] values = lines.get(i + 1).split(" ");
                if (names[0].equals("TcpExt:") && values[0].equals("TcpExt:")) {
                    for (int k = 1; k < names.length && k < values.length; k++) {
                        if (names[k].equals("ListenOverflows")) {
                            return Long.parseLong(values[k]);
                        }
                    }
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            // not Linux: no figure
        }
        return -1;
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
            clients.get(k % clients.size()).send(System.nanoTime(), phase.id);
        }
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
        /** Half of what is expected: the moment {@code fairness} looks at how evenly the pairs were served. */
        final CountDownLatch half;

        final AtomicLong sent = new AtomicLong();
        final AtomicLong lastArrival = new AtomicLong();
        private final long[] latencies;
        private final AtomicInteger count = new AtomicInteger();

        Phase(int id, int expected, boolean keepLatencies) {
            this.id = id;
            this.arrived = new CountDownLatch(expected);
            this.half = new CountDownLatch(expected / 2);
            this.latencies = new long[keepLatencies ? expected : 0];
        }

        void arrived(long sentNanos, long now) {
            int i = count.getAndIncrement();
            if (i < latencies.length) {
                latencies[i] = now - sentNanos;
            }
            lastArrival.accumulateAndGet(now, Math::max);
            arrived.countDown();
            half.countDown();
        }

        boolean await(Duration timeout) {
            return await(arrived, timeout);
        }

        boolean awaitHalf(Duration timeout) {
            return await(half, timeout);
        }

        private static boolean await(CountDownLatch latch, Duration timeout) {
            try {
                return latch.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
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
        /** Polls answered (long polling): how many messages a poll carries says how well the relay batches. */
        final AtomicLong polls = new AtomicLong();

        volatile String firstError;

        Sink(int warmup, int latency, int throughput) {
            this.warmup = new Phase(0, warmup, false);
            this.latency = new Phase(1, latency, true);
            this.throughput = new Phase(2, throughput, false);
        }

        void onEnvelope(Envelope message) {
            if (MessageTypes.CANDIDATE.equals(message.type()) || MessageTypes.OFFER.equals(message.type())) {
                onPayload(message.payload());
            } else if (MessageTypes.ERROR.equals(message.type())) {
                error("the relay answered an error: " + message.payload());
            } // welcome, peer-joined, peer-left: not measured
        }

        /** A message's payload arrived: counted in its phase; the phase, or -1 when it had none. */
        int onPayload(JsonNode payload) {
            int phase = payload.path("phase").asInt(-1);
            if (phase < 0) {
                error("a message without a phase: " + payload);
                return -1;
            }
            return onStamp(payload.path("sentNanos").asLong(), phase);
        }

        /** A message sent at {@code sentNanos} in {@code phase} arrived: counted; the phase, or -1 when unknown. */
        int onStamp(long sentNanos, int phase) {
            long now = System.nanoTime();
            Phase target = phase == 0 ? warmup : phase == 1 ? latency : phase == 2 ? throughput : null;
            if (target == null) {
                error("a message of no phase of this run: " + phase);
                return -1;
            }
            target.arrived(sentNanos, now);
            return phase;
        }

        void error(String what) {
            errors.incrementAndGet();
            if (firstError == null) {
                firstError = what;
            }
        }
    }
}
