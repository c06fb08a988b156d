package callguide.bench;

import callguide.kit.signal.Json;
import callguide.kit.signal.MessageTypes;
import callguide.kit.signal.RelayClient;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A client of {@code bench relay}: the kit's relay client (long polling), or a WebSocket of the load generator (relay,
 * echo and PeerJS server alike).
 */
interface BenchPeer {

    /** Sends one message stamped {@code sentNanos}, of {@code phase}. */
    void send(long sentNanos, int phase);

    CompletableFuture<Void> close();

    /** How many flat-out messages (phase 2) this client received so far. */
    long flatOutReceived();

    /** A kit relay client (WebSocket or long polling). */
    record KitPeer(RelayClient client) implements BenchPeer {
        @Override
        public void send(long sentNanos, int phase) {
            client.send(MessageTypes.CANDIDATE, RelayLoad.candidate(sentNanos, phase));
        }

        @Override
        public long flatOutReceived() {
            return -1; // the kit's client hands every message to the Sink alone: fairness is for WebSocket clients
        }

        @Override
        public CompletableFuture<Void> close() {
            client.close();
            return client.closed();
        }
    }

    /**
     * A WebSocket of the load generator ({@link NioWebSockets}) to the relay, to the echo server or to PeerJS server,
     * the one client of all three: the same message (the envelope the kit's client would write; for PeerJS its own
     * envelope around the same payload), its bytes built once and only the send time and phase written at each send;
     * each message read back where it arrives, its type, send time and phase found in its bytes (Jackson only for a
     * message of another shape), and handed to the {@link RelayLoad.Sink}. Joined once the {@code welcome} arrived
     * (the echo server sends one too), or PeerJS's {@code OPEN}. The client offers no extension: permessage-deflate is
     * off with every server.
     */
    final class WsPeer implements BenchPeer, NioWebSockets.Listener {
        /** The messages measured: the relay's candidate and offer, and PeerJS's names for them. */
        private static final java.util.Set<String> MEASURED =
                java.util.Set.of(MessageTypes.CANDIDATE, MessageTypes.OFFER, "CANDIDATE", "OFFER");
        /** The relay's error, and PeerJS's refusals (a bad key or id, an id taken, a message to nobody). */
        private static final java.util.Set<String> REFUSALS =
                java.util.Set.of(MessageTypes.ERROR, "ERROR", "ID-TAKEN", "EXPIRE", "LEAVE");

        private static final byte[][] MEASURED_BYTES = bytes(MEASURED);
        private static final byte[][] JOINED_BYTES = bytes(java.util.Set.of(MessageTypes.WELCOME, "OPEN"));
        private static final byte[] TYPE_FIRST = ascii("{\"type\":\"");
        private static final byte[] PHASE = ascii("\"phase\":");
        private static final byte[] SENT_NANOS = ascii("\"sentNanos\":");

        /** What this peer's messages say, up to their send time: a relay envelope, or PeerJS's to the partner. */
        private final byte[] head;
        /** The rest of the message being sent (the sender's thread alone, under the socket's send). */
        private final byte[] tail = new byte[RelayLoad.TAIL_BYTES];

        private final RelayLoad.Sink sink;
        private final java.util.concurrent.atomic.AtomicLong flatOut = new java.util.concurrent.atomic.AtomicLong();
        private final CompletableFuture<BenchPeer> paired = new CompletableFuture<>();
        private final CompletableFuture<Void> closed = new CompletableFuture<>();
        private final NioWebSockets.Socket socket;

        private WsPeer(NioWebSockets sockets, URI uri, String head, RelayLoad.Sink sink) {
            this.head = head.getBytes(StandardCharsets.UTF_8);
            this.sink = sink;
            this.socket = sockets.open(uri, this);
        }

        /** Opens a peer on {@code sockets}; joined (bounded) once the server welcomed it. */
        static CompletableFuture<BenchPeer> connect(NioWebSockets sockets, URI uri, String head, RelayLoad.Sink sink) {
            WsPeer peer = new WsPeer(sockets, uri, head, sink);
            return peer.paired.orTimeout(10, TimeUnit.SECONDS);
        }

        @Override
        public synchronized void send(long sentNanos, int phase) {
            int length = RelayLoad.tail(tail, sentNanos, phase);
            if (!socket.sendText(head, tail, length)) {
                sink.error("a send on a socket that had ended, or took nothing for "
                        + NioWebSockets.SEND_WAIT.toSeconds() + " s");
            }
        }

        @Override
        public long flatOutReceived() {
            return flatOut.get();
        }

        @Override
        public CompletableFuture<Void> close() {
            socket.close(1000, "bye");
            return closed.completeOnTimeout(null, 3, TimeUnit.SECONDS).whenComplete((v, e) -> socket.abort("closed"));
        }

        @Override
        public void onOpen(NioWebSockets.Socket socket) {
            // joined at the welcome, which follows
        }

        @Override
        public void onText(byte[] data, int offset, int length) {
            int end = offset + length;
            if (!startsWith(data, offset, end, TYPE_FIRST)) {
                slow(data, offset, length);
                return;
            }
            int typeStart = offset + TYPE_FIRST.length;
            int typeEnd = typeStart;
            while (typeEnd < end && data[typeEnd] != '"' && data[typeEnd] != '\\') {
                typeEnd++;
            }
            if (typeEnd == end || data[typeEnd] == '\\') {
                slow(data, offset, length);
            } else if (oneOf(data, typeStart, typeEnd, MEASURED_BYTES)) {
                int phase = lastIndexOf(data, typeEnd, end, PHASE);
                int sent = phase < 0 ? -1 : lastIndexOf(data, typeEnd, phase, SENT_NANOS);
                if (sent < 0) {
                    slow(data, offset, length);
                } else if (sink.onStamp(number(data, sent + SENT_NANOS.length, end), (int)
                                number(data, phase + PHASE.length, end))
                        == 2) {
                    flatOut.incrementAndGet();
                }
            } else if (oneOf(data, typeStart, typeEnd, JOINED_BYTES)) {
                paired.complete(this);
            } else {
                String type = new String(data, typeStart, typeEnd - typeStart, StandardCharsets.UTF_8);
                if (REFUSALS.contains(type)) {
                    slow(data, offset, length);
                } // peer-joined, peer-left, PeerJS's HEARTBEAT: not measured
            }
        }

        /** A message of another shape than the servers send (or a refusal, to say what it was): read as a tree. */
        private void slow(byte[] data, int offset, int length) {
            try {
                JsonNode message = Json.MAPPER.readTree(data, offset, length);
                String type = message.path("type").asText();
                if (MessageTypes.WELCOME.equals(type) || "OPEN".equals(type)) {
                    paired.complete(this);
                } else if (MEASURED.contains(type)) {
                    if (sink.onPayload(message.path("payload")) == 2) {
                        flatOut.incrementAndGet();
                    }
                } else if (REFUSALS.contains(type)) {
                    sink.error("the server answered " + type + ": " + message.path("payload"));
                }
            } catch (Exception e) {
                sink.error("a frame that is not an envelope: " + e.getMessage());
            }
        }

        @Override
        public void onClosed(int code, String why) {
            paired.completeExceptionally(new IllegalStateException("closed by the server: " + code + " " + why));
            closed.complete(null);
        }

        private static byte[] ascii(String s) {
            return s.getBytes(StandardCharsets.US_ASCII);
        }

        private static byte[][] bytes(java.util.Set<String> words) {
            return words.stream().map(WsPeer::ascii).toArray(byte[][]::new);
        }

        private static boolean startsWith(byte[] data, int from, int end, byte[] prefix) {
            if (end - from < prefix.length) {
                return false;
            }
            for (int i = 0; i < prefix.length; i++) {
                if (data[from + i] != prefix[i]) {
                    return false;
                }
            }
            return true;
        }

        private static boolean oneOf(byte[] data, int from, int end, byte[][] words) {
            for (byte[] word : words) {
                if (word.length == end - from && startsWith(data, from, end, word)) {
                    return true;
                }
            }
            return false;
        }

        /**
         * Where {@code key} last occurs in {@code [from, end)}, or -1. Searched from the end, where the send time and
         * phase are; a key in a string could not match, since JSON escapes the quotes of a string's content.
         */
        private static int lastIndexOf(byte[] data, int from, int end, byte[] key) {
            for (int i = end - key.length; i >= from; i--) {
                if (data[i] == key[0] && startsWith(data, i, end, key)) {
                    return i;
                }
            }
            return -1;
        }

        /** The JSON integer at {@code from} (spaces before it skipped). */
        private static long number(byte[] data, int from, int end) {
            int i = from;
            while (i < end && data[i] == ' ') {
                i++;
            }
            boolean negative = i < end && data[i] == '-';
            if (negative) {
                i++;
            }
            long value = 0;
            for (; i < end && data[i] >= '0' && data[i] <= '9'; i++) {
                value = value * 10 + (data[i] - '0');
            }
            return negative ? -value : value;
        }
    }
}
