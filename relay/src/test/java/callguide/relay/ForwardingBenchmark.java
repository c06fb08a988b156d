package callguide.relay;

import callguide.kit.signal.Json;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A microbenchmark of the relay's forwarding path, not a test (nothing runs it but a person): the time and the
 * heap each message costs, for the bench's two message sizes (a ~300-byte candidate and a ~4 KB offer, the shapes
 * {@code bench/.../RelayLoad} sends). Each figure is printed next to a baseline taken in the same JVM: one pass of
 * Jackson's tokenizer over the message, decoding every string (what {@link Envelopes#read} did before it had a
 * scanner of its own). Noisy on a shared machine: compare ratios, not nanoseconds.
 *
 * <p>Run it from the relay module after {@code test-compile}:
 * {@code java -cp target/common/classes:target/common/test-classes:DEPS callguide.relay.ForwardingBenchmark [rounds]}
 * (DEPS: {@code mvn -o -q -pl relay -am test-compile dependency:build-classpath -Dmdep.outputFile=FILE}). To compare
 * with an older relay, compile its {@code relay/src/main} and this file into a directory of their own and run that
 * in turn with this one: the baseline column then says how noisy each run was.
 */
final class ForwardingBenchmark {
    private static final JsonFactory FACTORY = Json.MAPPER.getFactory();
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static volatile Object sink;

    private ForwardingBenchmark() {}

    /** The bench's candidate message: a candidate line, its mid and index, the ufrag, the send time and phase. */
    static String candidate() {
        return Json.write(ordered(
                "type",
                "candidate",
                "payload",
                ordered(
                        "candidate",
                        "candidate:3305227424 1 udp 1686052607 127.0.0.1 54321 typ srflx raddr 0.0.0.0 rport 0 "
                                + "generation 0 ufrag Xk9a network-id 1 network-cost 10",
                        "sdpMid",
                        "0",
                        "sdpMLineIndex",
                        0,
                        "usernameFragment",
                        "Xk9a",
                        "sentNanos",
                        123456789012345L,
                        "phase",
                        1)));
    }

    /** A JSON object's fields in the order given (names and values in turn), as the kit's records write them. */
    private static Map<String, Object> ordered(Object... namesAndValues) {
        Map<String, Object> object = new java.util.LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            object.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return object;
    }

    /** The bench's offer message: an SDP of about 4 KB, audio and video with a browser's codec lines. */
    static String offer() {
        StringBuilder sdp = new StringBuilder("v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
                + "a=group:BUNDLE 0 1\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126\r\nc=IN IP4 0.0.0.0\r\n"
                + "a=ice-ufrag:Xk9a\r\na=ice-pwd:4ZcD5Mz0eJv8Q3aQmC1x2pLr\r\na=rtpmap:111 opus/48000/2\r\n"
                + "m=video 9 UDP/TLS/RTP/SAVPF");
        for (int pt = 96; sdp.length() < 3_900; pt++) {
            sdp.append("\r\na=rtpmap:")
                    .append(pt)
                    .append(" VP8/90000\r\na=rtcp-fb:")
                    .append(pt);
            sdp.append(" goog-remb\r\na=rtcp-fb:").append(pt).append(" nack pli");
        }
        return Json.write(ordered(
                "type",
                "offer",
                "payload",
                ordered("type", "offer", "sdp", sdp.append("\r\n").toString(), "sentNanos", 123456789012345L)));
    }

    /**
     * The baseline: what {@link Envelopes#read} did before its scanner, one pass of Jackson's tokenizer over the whole
     * message, decoding every string ({@code finishToken}), the payload's text cut out by its offsets.
     */
    static Object tokenPass(String text) throws Exception {
        try (JsonParser parser = FACTORY.createParser(text)) {
            long start = -1;
            long end = -1;
            String type = null;
            int depth = 0;
            JsonToken token;
            boolean payloadNext = false;
            while ((token = parser.nextToken()) != null) {
                if (payloadNext) {
                    start = parser.currentTokenLocation().getCharOffset();
                    payloadNext = false;
                }
                if (depth == 1
                        && token == JsonToken.FIELD_NAME
                        && parser.currentName().equals("payload")) {
                    payloadNext = true;
                } else if (token == JsonToken.VALUE_STRING) {
                    parser.finishToken();
                    if (depth == 1 && "type".equals(parser.currentName())) {
                        type = parser.getText();
                    }
                } else if (token.isStructStart()) {
                    depth++;
                } else if (token.isStructEnd() && --depth == 1 && start >= 0 && end < 0) {
                    end = parser.currentLocation().getCharOffset();
                }
            }
            return new PeerMessage(type, null, text.substring((int) start, (int) end));
        }
    }

    @FunctionalInterface
    private interface Work {
        void run(int i) throws Exception;
    }

    /**
     * Nanoseconds of this thread's CPU time (not wall time: on a shared machine the thread waits its turn) and bytes
     * of heap per call of {@code work}; the time the best of five runs, as the others' noise only adds.
     */
    private static double[] measure(int calls, Work work) throws Exception {
        for (int i = 0; i < calls; i++) {
            work.run(i);
        }
        long thread = Thread.currentThread().getId();
        double best = Double.MAX_VALUE;
        double bytes = 0;
        for (int run = 0; run < 5; run++) {
            long allocated = THREADS.getThreadAllocatedBytes(thread);
            long start = THREADS.getCurrentThreadCpuTime();
            for (int i = 0; i < calls; i++) {
                work.run(i);
            }
            best = Math.min(best, (double) (THREADS.getCurrentThreadCpuTime() - start) / calls);
            bytes = (double) (THREADS.getThreadAllocatedBytes(thread) - allocated) / calls;
        }
        return new double[] {best, bytes};
    }

    private static void line(String what, double[] base, double[] now) {
        System.out.printf(
                "%-40s baseline %6.0f ns %6.0f B | now %6.0f ns %6.0f B | baseline/now: time %5.2f, heap %5.2f%n",
                what, base[0], base[1], now[0], now[1], base[0] / now[0], base[1] / Math.max(1, now[1]));
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int max = 64 * 1024;
        List<Rooms> all = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            System.out.println("round " + round);
            for (String message : List.of(candidate(), offer())) {
                String name = message.length() < 1000 ? "candidate" : "offer";
                int calls = message.length() < 1000 ? 100_000 : 10_000;
                byte[] body = message.getBytes(StandardCharsets.UTF_8);
                if (!tokenPass(message).equals(Envelopes.read(message, max))) {
                    throw new IllegalStateException("the baseline reads " + name + " otherwise than Envelopes.read");
                }
                double[] tokens = measure(calls, i -> sink = tokenPass(message));
                line(
                        name + " (" + message.length() + " B): read text",
                        tokens,
                        measure(calls, i -> sink = Envelopes.read(message, max)));
                line(name + ": read body", tokens, measure(calls, i -> sink = Envelopes.read(body, max)));
                // The whole path a WebSocket frame takes: rate limit, read, route, log, deliver; 500 rooms in turn.
                Rooms rooms = new Rooms(
                        RelayConfig.defaults()
                                .withCaps(Caps.generous())
                                .withMaxRooms(10_000)
                                .withRateBurst(Integer.MAX_VALUE / 2)
                                .withRatePerSecond(Integer.MAX_VALUE / 2),
                        Runnable::run,
                        new QueueBudget(1L << 30));
                all.add(rooms);
                Peer[] senders = new Peer[500];
                for (int r = 0; r < senders.length; r++) {
                    senders[r] = rooms.join("bench-" + r, "a", new DiscardingOutbox(), "192.0.2." + (r % 250));
                    rooms.join("bench-" + r, "b", new DiscardingOutbox(), "198.51.100." + (r % 250));
                }
                line(name + ": admit+read+send", tokens, measure(calls, i -> {
                    Peer sender = senders[i % senders.length];
                    rooms.admit(sender);
                    rooms.send(sender, Envelopes.read(message, max));
                }));
                PeerMessage read = Envelopes.read(message, max);
                line(name + ": send alone (route, log, deliver)", tokens, measure(calls, i -> {
                    rooms.send(senders[i % senders.length], read);
                }));
            }
            Runtime.getRuntime().gc();
            long used =
                    Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
            System.out.printf("heap after round %d (its 2 x 500 rooms still held): %d MB%n", round, used >> 20);
            all.clear();
        }
    }
}
