package callguide.bench;

import callguide.kit.signal.Json;
import callguide.kit.signal.MessageTypes;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A client of {@code bench relay}: a WebSocket of the load generator (relay, echo and PeerJS server alike), or a
 * long-polling peer on the load generator's HTTP client.
 */
interface BenchPeer {

    /** Sends one message stamped {@code sentNanos}, of {@code phase}. */
    void send(long sentNanos, int phase);

    CompletableFuture<Void> close();

    /** How many flat-out messages (phase 2) this client received so far. */
    long flatOutReceived();

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

    /**
     * A long-polling peer on the load generator's HTTP client ({@link NioHttp}), two keep-alive connections of its
     * own as a browser would hold: one that sends ({@code POST .../messages}, one at a time, in order: the kit's
     * client does the same), one that polls ({@code GET .../messages?after=SEQ&wait=20}, again as soon as a poll is
     * answered). Each message's bytes are built from the envelope's head written once and its send time and phase;
     * each poll's body is read with Jackson's streaming parser (no tree), its messages' send times and phases handed
     * to the {@link RelayLoad.Sink}. Joined once the {@code welcome} arrived. Where it ends, it leaves ({@code
     * DELETE}).
     */
    final class PollingPeer implements BenchPeer {
        /** How long the relay may hold a poll, as the kit's client asks. */
        static final int POLL_WAIT_SECONDS = 20;

        private final NioHttp.Connection sends;
        private final NioHttp.Connection polls;
        private final String host;
        private final String path;
        private final byte[] head;
        private final byte[] tail = new byte[RelayLoad.TAIL_BYTES];
        private final RelayLoad.Sink sink;
        private final java.util.concurrent.atomic.AtomicLong flatOut = new java.util.concurrent.atomic.AtomicLong();
        private final CompletableFuture<BenchPeer> joined = new CompletableFuture<>();
        private final CompletableFuture<Void> closed = new CompletableFuture<>();
        /** The start of every send's request, up to its length (set once joined, then read only). */
        private volatile String sendHead;

        private volatile boolean leaving;
        /** The seq of the last message received (the poller's alone: it runs on the selector thread). */
        private long last;

        private PollingPeer(NioHttp http, URI base, String room, String side, String head, RelayLoad.Sink sink) {
            java.net.InetSocketAddress address = new java.net.InetSocketAddress(base.getHost(), base.getPort());
            this.sends = http.connection(address);
            this.polls = http.connection(address);
            this.host = "Host: " + base.getHost() + ":" + base.getPort() + "\r\n";
            this.path = "/rooms/" + room + "/peers/" + side;
            this.head = head.getBytes(StandardCharsets.UTF_8);
            this.sink = sink;
        }

        /** Joins {@code room} as {@code side}; joined (bounded) once the relay's welcome arrived. */
        static CompletableFuture<BenchPeer> connect(
                NioHttp http, URI base, String room, String side, String head, RelayLoad.Sink sink) {
            PollingPeer peer = new PollingPeer(http, base, room, side, head, sink);
            byte[] join = NioHttp.request("POST " + peer.path + " HTTP/1.1\r\n" + peer.host, new byte[0], 0);
            peer.sends.request(join, new NioHttp.Answer() {
                @Override
                public void answered(int status, byte[] body, int offset, int length) {
                    if (status != 201) {
                        peer.fail("the join was refused: HTTP " + status + " "
                                + new String(body, offset, length, StandardCharsets.UTF_8));
                        return;
                    }
                    try {
                        String token = Json.MAPPER
                                .readTree(body, offset, length)
                                .path("token")
                                .asText();
                        peer.sendHead = "POST " + peer.path + "/messages HTTP/1.1\r\n" + peer.host
                                + "Authorization: Bearer " + token + "\r\nContent-Type: application/json\r\n";
                        peer.poll();
                    } catch (java.io.IOException e) {
                        peer.fail("the join's answer is not JSON: " + e.getMessage());
                    }
                }

                @Override
                public void failed(String why) {
                    peer.fail("the join failed: " + why);
                }
            });
            return peer.joined.orTimeout(10, TimeUnit.SECONDS);
        }

        @Override
        public synchronized void send(long sentNanos, int phase) {
            int tailLength = RelayLoad.tail(tail, sentNanos, phase);
            byte[] body = java.util.Arrays.copyOf(head, head.length + tailLength);
            System.arraycopy(tail, 0, body, head.length, tailLength);
            sends.request(NioHttp.request(sendHead, body, body.length), new NioHttp.Answer() {
                @Override
                public void answered(int status, byte[] answer, int offset, int length) {
                    if (status != 202) {
                        sink.error("a send was refused: HTTP " + status + " "
                                + new String(answer, offset, length, StandardCharsets.UTF_8));
                    }
                }

                @Override
                public void failed(String why) {
                    sink.error("a send failed: " + why);
                }
            });
        }

        @Override
        public long flatOutReceived() {
            return flatOut.get();
        }

        @Override
        public CompletableFuture<Void> close() {
            leaving = true;
            if (sendHead == null) {
                end();
                return closed;
            }
            // After the sends already queued; the relay then answers the held poll, which asks no more.
            String leave = sendHead.replaceFirst("^POST (\\S+)/messages ", "DELETE $1 ");
            sends.request(NioHttp.request(leave, new byte[0], 0), new NioHttp.Answer() {
                @Override
                public void answered(int status, byte[] body, int offset, int length) {
                    end();
                }

                @Override
                public void failed(String why) {
                    end();
                }
            });
            return closed.completeOnTimeout(null, 3, TimeUnit.SECONDS).whenComplete((v, e) -> end());
        }

        private void end() {
            sends.close();
            polls.close();
            closed.complete(null);
        }

        private void fail(String why) {
            joined.completeExceptionally(new IllegalStateException(why));
            end();
        }

        /** Asks for every message after the last one received, the relay holding the poll until one comes. */
        private void poll() {
            String get = "GET " + path + "/messages?after=" + last + "&wait=" + POLL_WAIT_SECONDS + " HTTP/1.1\r\n"
                    + host + sendHead.substring(sendHead.indexOf("Authorization:"));
            polls.request(NioHttp.request(get, new byte[0], 0), new NioHttp.Answer() {
                @Override
                public void answered(int status, byte[] body, int offset, int length) {
                    if (status != 200) {
                        if (!leaving) {
                            sink.error("a poll was refused: HTTP " + status + " "
                                    + new String(body, offset, length, StandardCharsets.UTF_8));
                            fail("a poll was refused: HTTP " + status);
                        }
                        return;
                    }
                    sink.polls.incrementAndGet();
                    try {
                        read(body, offset, length);
                    } catch (java.io.IOException | RuntimeException e) {
                        sink.error("a poll's answer that is not {\"messages\": [...]}: " + e.getMessage());
                    }
                    if (!leaving) {
                        poll();
                    }
                }

                @Override
                public void failed(String why) {
                    if (!leaving) {
                        sink.error("a poll failed: " + why);
                        fail("a poll failed: " + why);
                    }
                }
            });
        }

        /**
         * Reads a poll's {@code {"messages": [...]}}: each message's {@code seq} (the next poll's {@code after}), its
         * type, and a measured one's {@code sentNanos} and {@code phase} in its payload; everything else skipped.
         */
        private void read(byte[] body, int offset, int length) throws java.io.IOException {
            try (com.fasterxml.jackson.core.JsonParser json =
                    Json.MAPPER.getFactory().createParser(body, offset, length)) {
                expect(json.nextToken(), com.fasterxml.jackson.core.JsonToken.START_OBJECT);
                while (json.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
                    if (!json.currentName().equals("messages")) {
                        json.nextToken();
                        json.skipChildren();
                        continue;
                    }
                    expect(json.nextToken(), com.fasterxml.jackson.core.JsonToken.START_ARRAY);
                    while (json.nextToken() == com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
                        message(json);
                    }
                }
            }
        }

        /** One message of a poll, the parser at its start. */
        private void message(com.fasterxml.jackson.core.JsonParser json) throws java.io.IOException {
            String type = null;
            long seq = -1;
            long sentNanos = -1;
            int phase = -1;
            JsonNode errorPayload = null;
            while (json.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
                String field = json.currentName();
                com.fasterxml.jackson.core.JsonToken value = json.nextToken();
                if (field.equals("type")) {
                    type = json.getText();
                } else if (field.equals("seq")) {
                    seq = json.getLongValue();
                } else if (field.equals("payload") && value == com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
                    if (MessageTypes.ERROR.equals(type)) {
                        errorPayload = json.readValueAsTree();
                        continue;
                    }
                    while (json.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
                        String key = json.currentName();
                        json.nextToken();
                        if (key.equals("sentNanos")) {
                            sentNanos = json.getLongValue();
                        } else if (key.equals("phase")) {
                            phase = json.getIntValue();
                        } else {
                            json.skipChildren();
                        }
                    }
                } else {
                    json.skipChildren();
                }
            }
            last = Math.max(last, seq);
            if (MessageTypes.WELCOME.equals(type)) {
                joined.complete(this);
            } else if (MessageTypes.CANDIDATE.equals(type) || MessageTypes.OFFER.equals(type)) {
                if (phase < 0) {
                    sink.error("a message without a phase");
                } else if (sink.onStamp(sentNanos, phase) == 2) {
                    flatOut.incrementAndGet();
                }
            } else if (MessageTypes.ERROR.equals(type)) {
                sink.error("the relay answered an error: " + errorPayload);
            } // peer-joined, peer-left: not measured
        }

        private static void expect(
                com.fasterxml.jackson.core.JsonToken token, com.fasterxml.jackson.core.JsonToken expected)
                throws java.io.IOException {
            if (token != expected) {
                throw new java.io.IOException("expected " + expected + ", found " + token);
            }
        }
    }
}
