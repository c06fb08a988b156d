package callguide.bench;

import callguide.kit.signal.Envelope;
import callguide.kit.signal.RelayClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code ./workshop bench abuse [--seconds S] [--heap MB]}: the long version of the attack tests
 * of issue 17. Each attack runs against a fresh relay in a JVM of its own with a set heap
 * ({@code -Xmx}, and {@code -XX:+ExitOnOutOfMemoryError}, so a relay that needed more would die
 * and say so), on 127.0.0.1, for S seconds. Every second it prints the relay's heap in use
 * ({@code jstat}) and the latency of a fresh exchange in another room (join two peers, offer,
 * answer, 5 candidates each way), then the heap after a full GC. The attackers that need to be
 * "another address" connect from 127.0.0.2 (loopback still). Figures are reported, never asserted;
 * the exit status is 1 if the relay died or a fresh exchange failed.
 */
public final class BenchAbuse {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String ATTACKER = "127.0.0.2";

    private BenchAbuse() {}

    interface Attack {
        void run(URI relay, AtomicBoolean stop) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        int seconds = 20;
        int heapMb = 256;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--seconds" -> seconds = Integer.parseInt(args[i + 1]);
                case "--heap" -> heapMb = Integer.parseInt(args[i + 1]);
                default ->
                    throw new IllegalArgumentException("usage: ./workshop bench abuse [--seconds S] [--heap MB]");
            }
        }
        Map<String, Attack> attacks = new java.util.LinkedHashMap<>();
        attacks.put("invalid frames, never read (4 sockets)", BenchAbuse::invalidFrames);
        attacks.put("a peer that stops reading its socket", BenchAbuse::slowReader);
        attacks.put("a polling peer that never acknowledges", BenchAbuse::neverAcks);
        attacks.put("1,000 polling joins a second from one address", BenchAbuse::roomFilling);
        attacks.put("half-open HTTP requests from one address (up to 20,000)", BenchAbuse::halfOpen);
        attacks.put("20 live view tabs asking for everything (since=0), 20 busy rooms", BenchAbuse::liveViewTabs);
        boolean ok = true;
        System.out.printf(
                "bench abuse: each attack %d s against a relay with -Xmx%dm; fresh exchange must stay under 2000 ms%n",
                seconds, heapMb);
        for (Map.Entry<String, Attack> attack : attacks.entrySet()) {
            ok &= run(attack.getKey(), attack.getValue(), seconds, heapMb);
        }
        System.out.println(
                ok
                        ? "bench abuse: the relay stayed up and fresh exchanges completed throughout"
                        : "bench abuse: FAILED (see above)");
        System.exit(ok ? 0 : 1);
    }

    private static boolean run(String name, Attack attack, int seconds, int heapMb) throws Exception {
        System.out.println();
        System.out.println("== " + name);
        ServerProcess relay;
        try {
            relay = ServerProcess.relay(
                    List.of(),
                    List.of("-Xmx" + heapMb + "m", "-XX:+UseParallelGC", "-XX:+ExitOnOutOfMemoryError"),
                    List.of());
        } catch (IOException e) {
            System.out.println("the relay did not start: " + e.getMessage());
            return false;
        }
        URI base = relay.base();
        freshExchange(base, "warm-up"); // the relay's JVM warmed up once, before the attack
        AtomicBoolean stop = new AtomicBoolean();
        URI target = base;
        CompletableFuture<Void> attacking = CompletableFuture.runAsync(() -> {
            try {
                attack.run(target, stop);
            } catch (Exception e) {
                if (!stop.get()) {
                    System.out.println("  (the attacker stopped: " + e + ")");
                }
            }
        });
        boolean ok = true;
        long worst = 0;
        long peakHeap = 0;
        System.out.println("  t(s)  heap used (MB)  fresh exchange (ms)");
        for (int t = 1; t <= seconds; t++) {
            long start = System.nanoTime();
            String failure = null;
            try {
                freshExchange(base, "fresh-" + t);
            } catch (Exception e) {
                failure = e.toString();
            }
            long ms = (System.nanoTime() - start) / 1_000_000;
            long heap = heapMb(relay.pid());
            peakHeap = Math.max(peakHeap, heap);
            worst = Math.max(worst, ms);
            System.out.printf("  %4d  %14d  %s%n", t, heap, failure == null ? String.valueOf(ms) : "FAILED " + failure);
            if (failure != null || !relay.alive() || ms >= 2000) {
                ok = false;
            }
            if (!relay.alive()) {
                System.out.println("  the relay died (exit " + relay.exitValue() + ")");
                break;
            }
            long left = 1000 - (System.nanoTime() - start) / 1_000_000;
            if (left > 0) {
                Thread.sleep(left); // a bench's sampling period, not a synchronisation
            }
        }
        stop.set(true);
        attacking.orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> null).join();
        long retained = -1;
        if (relay.alive()) {
            new ProcessBuilder("jcmd", String.valueOf(relay.pid()), "GC.run")
                    .redirectErrorStream(true)
                    .start()
                    .waitFor(10, TimeUnit.SECONDS);
            retained = heapMb(relay.pid());
        }
        System.out.printf(
                "  => relay %s; heap peak %d MB of %d, after the attack and a full GC %d MB; worst fresh "
                        + "exchange %d ms%n",
                relay.alive() ? "up" : "DOWN", peakHeap, heapMb, retained, worst);
        relay.close();
        return ok;
    }

    /**
     * The heap in use of process {@code pid}, from {@code jstat -gc} (survivors, eden and old), in MB; -1 if unknown.
     */
    private static long heapMb(long pid) {
        try {
            Process jstat = new ProcessBuilder("jstat", "-gc", String.valueOf(pid))
                    .redirectErrorStream(true)
                    .start();
            List<String> lines = new BufferedReader(
                            new InputStreamReader(jstat.getInputStream(), StandardCharsets.UTF_8))
                    .lines()
                    .toList();
            jstat.waitFor(5, TimeUnit.SECONDS);
            String[] names = lines.get(0).trim().split("\\s+");
            String[] values = lines.get(1).trim().split("\\s+");
            double kb = 0;
            for (int i = 0; i < names.length; i++) {
                if (List.of("S0U", "S1U", "EU", "OU").contains(names[i])) {
                    kb += Double.parseDouble(values[i]);
                }
            }
            return Math.round(kb / 1024);
        } catch (Exception e) {
            return -1;
        }
    }

    /** A fresh exchange in a room of its own, WebSocket caller and polling callee. */
    private static void freshExchange(URI relay, String room) throws Exception {
        LinkedBlockingQueue<Envelope> atCaller = new LinkedBlockingQueue<>();
        LinkedBlockingQueue<Envelope> atCallee = new LinkedBlockingQueue<>();
        try (RelayClient caller = RelayClient.webSocket(relay, room, "caller", atCaller::add)
                        .get(2, TimeUnit.SECONDS);
                RelayClient callee = RelayClient.longPolling(relay, room, "callee", atCallee::add)
                        .get(2, TimeUnit.SECONDS)) {
            await(atCaller, "peer-joined");
            caller.send("offer", Map.of("type", "offer", "sdp", "v=0")).get(2, TimeUnit.SECONDS);
            await(atCallee, "offer");
            callee.send("answer", Map.of("type", "answer", "sdp", "v=0")).get(2, TimeUnit.SECONDS);
            await(atCaller, "answer");
            for (int i = 0; i < 5; i++) {
                caller.send("candidate", Map.of("candidate", "candidate:" + i, "sdpMid", "0", "sdpMLineIndex", 0));
                callee.send("candidate", Map.of("candidate", "candidate:" + i, "sdpMid", "0", "sdpMLineIndex", 0));
            }
            for (int i = 0; i < 5; i++) {
                await(atCaller, "candidate");
                await(atCallee, "candidate");
            }
        }
    }

    private static void await(LinkedBlockingQueue<Envelope> inbox, String type) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (System.nanoTime() < end) {
            Envelope e = inbox.poll(Math.max(1, (end - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
            if (e != null && e.type().equals(type)) {
                return;
            }
        }
        throw new IllegalStateException("no " + type + " within 2 s");
    }

    /** A WebSocket that never reads. */
    private static WebSocket deaf(URI relay, String room, String peer) throws Exception {
        return HTTP.newWebSocketBuilder()
                .buildAsync(
                        URI.create(relay.toString().replace("http", "ws") + "/rooms/" + room + "?peer=" + peer),
                        new WebSocket.Listener() {
                            @Override
                            public void onOpen(WebSocket webSocket) {
                                // no request(): nothing is read
                            }
                        })
                .get(5, TimeUnit.SECONDS);
    }

    private static void invalidFrames(URI relay, AtomicBoolean stop) throws Exception {
        List<CompletableFuture<Void>> attackers = new ArrayList<>();
        AtomicLong sent = new AtomicLong();
        AtomicLong reconnects = new AtomicLong();
        for (int a = 0; a < 4; a++) {
            int n = a;
            attackers.add(CompletableFuture.runAsync(() -> {
                while (!stop.get()) {
                    try {
                        WebSocket ws = deaf(
                                relay,
                                "junk-" + n,
                                "junk" + reconnects.get()); // a fresh id: a dropped one is held for its rejoin
                        while (!stop.get()) {
                            ws.sendText("not json at all", true).get(5, TimeUnit.SECONDS);
                            sent.incrementAndGet();
                        }
                        ws.abort();
                    } catch (Exception dropped) {
                        reconnects.incrementAndGet();
                    }
                }
            }));
        }
        CompletableFuture.allOf(attackers.toArray(CompletableFuture[]::new)).join();
        System.out.printf("  attacker: %d invalid frames sent, disconnected %d times%n", sent.get(), reconnects.get());
    }

    private static void slowReader(URI relay, AtomicBoolean stop) throws Exception {
        String big = "x".repeat(60_000);
        long drops = 0;
        long sent = 0;
        while (!stop.get()) {
            WebSocket deaf = deaf(relay, "slow", "deaf");
            AtomicBoolean left = new AtomicBoolean();
            try (RelayClient sender = RelayClient.webSocket(relay, "slow", "sender", e -> {
                        if (e.type().equals("peer-left")) {
                            left.set(true);
                        }
                    })
                    .get(5, TimeUnit.SECONDS)) {
                while (!stop.get() && !left.get()) {
                    sender.send("x-big", Map.of("data", big)).get(5, TimeUnit.SECONDS);
                    sent++;
                    Thread.sleep(10); // 100 a second, 6 MB a second: within the rate limit
                }
            }
            drops += left.get() ? 1 : 0;
            deaf.abort();
        }
        System.out.printf(
                "  attacker: %d messages of 60 KB sent to a peer that reads nothing; it was dropped (slow) %d times%n",
                sent, drops);
    }

    private static void neverAcks(URI relay, AtomicBoolean stop) throws Exception {
        long refused = 0;
        long sent = 0;
        int round = 0;
        while (!stop.get()) {
            String room = "lazy-" + round++;
            HTTP.send(
                    HttpRequest.newBuilder(URI.create(relay + "/rooms/" + room + "/peers/lazy"))
                            .POST(HttpRequest.BodyPublishers.noBody())
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            try (RelayClient sender =
                    RelayClient.webSocket(relay, room, "sender", e -> {}).get(5, TimeUnit.SECONDS)) {
                for (int i = 0; i < 1200 && !stop.get(); i++) {
                    sender.send("x-n", Map.of("n", i, "pad", "y".repeat(900))).get(5, TimeUnit.SECONDS);
                    sent++;
                    if (i % 100 == 99) {
                        Thread.sleep(1000); // within the rate limit: 100 a second
                    }
                }
            }
            refused++;
        }
        System.out.printf(
                "  attacker: %d messages sent to polling peers that never acknowledge, %d mailboxes filled and "
                        + "dropped%n",
                sent, refused);
    }

    private static void roomFilling(URI relay, AtomicBoolean stop) throws Exception {
        Map<Integer, Integer> statuses = new java.util.TreeMap<>();
        int i = 0;
        while (!stop.get()) {
            statuses.merge(
                    raw(
                            relay,
                            "POST /rooms/grab-" + i++
                                    + "/peers/p HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nConnection: "
                                    + "close\r\n\r\n"),
                    1,
                    Integer::sum);
        }
        System.out.printf("  attacker from %s: %d joins answered %s%n", ATTACKER, i, statuses);
    }

    private static void halfOpen(URI relay, AtomicBoolean stop) throws Exception {
        List<Socket> held = new ArrayList<>();
        long refused = 0;
        try {
            while (!stop.get() && held.size() + refused < 20_000) {
                Socket s = new Socket();
                s.bind(new InetSocketAddress(InetAddress.getByName(ATTACKER), 0));
                s.connect(new InetSocketAddress("127.0.0.1", relay.getPort()), 5000);
                s.getOutputStream()
                        .write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII));
                s.setSoTimeout(5);
                try {
                    if (s.getInputStream().read() >= 0) {
                        refused++; // the 503 of a connection past the cap
                        s.close();
                        continue;
                    }
                } catch (java.net.SocketTimeoutException nothingYet) {
                    // accepted and waiting for the rest of the request: held open
                } catch (IOException closed) {
                    refused++;
                    s.close();
                    continue;
                }
                held.add(s);
            }
            System.out.printf(
                    "  attacker from %s: %d half-open connections opened, %d of them answered 503 within 5 ms "
                            + "(the relay holds at most 64)%n",
                    ATTACKER, held.size() + refused, refused);
            while (!stop.get()) {
                Thread.sleep(100);
            }
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }

    private static void liveViewTabs(URI relay, AtomicBoolean stop) throws Exception {
        List<RelayClient> peers = new ArrayList<>();
        for (int r = 0; r < 10; r++) {
            RelayClient a =
                    RelayClient.webSocket(relay, "busy-" + r, "a", e -> {}).get(5, TimeUnit.SECONDS);
            RelayClient b =
                    RelayClient.webSocket(relay, "busy-" + r, "b", e -> {}).get(5, TimeUnit.SECONDS);
            peers.add(a);
            peers.add(b);
            for (int m = 0; m < 250; m++) {
                a.send(
                                "candidate",
                                Map.of(
                                        "candidate",
                                        "candidate:1 1 udp 2122260223 192.168.1." + m + " 5000 typ host "
                                                + "x".repeat(100),
                                        "sdpMid",
                                        "0",
                                        "sdpMLineIndex",
                                        0))
                        .get(5, TimeUnit.SECONDS);
            }
        }
        AtomicLong bytes = new AtomicLong();
        AtomicLong answers = new AtomicLong();
        List<CompletableFuture<Void>> tabs = new ArrayList<>();
        for (int t = 0; t < 20; t++) {
            tabs.add(CompletableFuture.runAsync(() -> {
                while (!stop.get()) {
                    try {
                        HttpResponse<String> r = HTTP.send(
                                HttpRequest.newBuilder(URI.create(relay + "/api/rooms?since=0"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                        bytes.addAndGet(r.body().length());
                        answers.incrementAndGet();
                    } catch (Exception e) {
                        return;
                    }
                }
            }));
        }
        CompletableFuture.allOf(tabs.toArray(CompletableFuture[]::new)).join();
        peers.forEach(RelayClient::close);
        System.out.printf(
                "  attacker: %d live view answers, %d KB each on average%n",
                answers.get(), answers.get() == 0 ? 0 : bytes.get() / answers.get() / 1024);
    }

    /** One raw request from the attacker's address; its HTTP status (-1 if none). */
    private static int raw(URI relay, String request) {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName(ATTACKER), 0));
            s.connect(new InetSocketAddress("127.0.0.1", relay.getPort()), 5000);
            s.setSoTimeout(5000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            String status =
                    new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine();
            return status == null ? -1 : Integer.parseInt(status.split(" ")[1]);
        } catch (Exception e) {
            return -1;
        }
    }
}
