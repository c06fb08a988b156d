package callguide.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The load generator's HTTP/1.1 client for long polling (plain {@code http://} only): one selector thread drives
 * every connection of a configuration, each connection kept alive and carrying one request at a time (as a browser's
 * does; no pipelining), so a thousand polling peers cost one thread, not two thousand, and the figures measure the
 * relay rather than the client. The kit's client (the JDK's {@code HttpClient}, a poll thread and a send thread a
 * peer) used about twice the relay's CPU at 500 rooms, and its pooled connections carried every peer's token in
 * turn, which the relay's header cache does not see from a browser (each holds its own connections).
 *
 * <p>It does the least a client must: writes a request whose bytes the caller built, reads the status line and the
 * headers, then a body of {@code Content-Length} bytes or a chunked one; a response that says {@code Connection:
 * close} ends the connection after it is read. Threads: {@link Connection#request} may be called from any thread;
 * every {@link Answer} runs on the selector thread.
 *
 * <p>Nothing grows without bound: a response may be at most {@link #MAX_RESPONSE} bytes, and a connection holds at
 * most the requests its owner queued (the bench's batches are bounded).
 */
final class NioHttp extends SelectorLoop<NioHttp.Connection> {
    /** A connection's input buffer to begin with; it grows (to {@link #MAX_RESPONSE}) only for a bigger answer. */
    static final int IN_CAPACITY = 16 * 1024;
    /** The largest answer taken: far above a poll's (a mailbox holds at most 1 MiB of JSON). */
    static final int MAX_RESPONSE = 8 << 20;

    private static final byte[] END_OF_HEADERS = {'\r', '\n', '\r', '\n'};

    /** What a request's answer was; runs on the selector thread, and must read the body before it returns. */
    interface Answer {
        /** The server answered {@code status} with the body in {@code body} from {@code offset}. */
        void answered(int status, byte[] body, int offset, int length);

        /** No answer came: the connection failed or ended first ({@code why}). */
        void failed(String why);
    }

    private record Request(byte[] bytes, Answer answer) {}

    private final Queue<Connection> dirty = new ConcurrentLinkedQueue<>();

    /** Starts the selector thread, named {@code name}; {@link #close} stops it, failing every request still waiting. */
    NioHttp(String name) throws IOException {
        super(name);
        start();
    }

    /** A connection to {@code address}, opened when its first request is queued. */
    Connection connection(InetSocketAddress address) {
        return new Connection(address);
    }

    /** The bytes of a request: {@code head} (request line and headers, each ending CRLF), then {@code body}. */
    static byte[] request(String head, byte[] body, int bodyLength) {
        byte[] start = (head + "Content-Length: " + bodyLength + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] bytes = java.util.Arrays.copyOf(start, start.length + bodyLength);
        System.arraycopy(body, 0, bytes, start.length, bodyLength);
        return bytes;
    }

    /** The selector thread: starts the connections that have requests waiting. */
    @Override
    void pending() {
        for (Connection c = dirty.poll(); c != null; c = dirty.poll()) {
            c.next();
        }
    }

    @Override
    void ready(SelectionKey key, Connection connection) {
        connection.ready(key);
    }

    /** The selector thread, stopping: every connection ends, its requests failing with {@code why}. */
    @Override
    void stopped(String why, List<Connection> registered) {
        for (Connection c : registered) {
            c.end(why);
        }
        for (Connection c = dirty.poll(); c != null; c = dirty.poll()) {
            c.end(why);
        }
    }

    /** One keep-alive connection: its requests go out one at a time, each after the answer to the one before. */
    final class Connection {
        private final InetSocketAddress address;
        private final Queue<Request> queued = new ConcurrentLinkedQueue<>();

        // The selector thread's alone.
        private SocketChannel channel;
        private SelectionKey selection;
        private boolean connected;
        private Request inFlight;
        private ByteBuffer out;
        private ByteBuffer in = ByteBuffer.allocate(IN_CAPACITY);
        private volatile String ended;

        private Connection(InetSocketAddress address) {
            this.address = address;
        }

        /** Queues a request ({@link NioHttp#request}'s bytes); {@code answer} hears how it went. */
        void request(byte[] bytes, Answer answer) {
            String why = ended;
            if (why != null) {
                answer.failed(why);
                return;
            }
            queued.add(new Request(bytes, answer));
            dirty.add(this);
            signal();
        }

        /** Ends the connection: what is in flight or queued fails. */
        void close() {
            queued.add(new Request(null, null)); // the mark: ends the connection in turn, after what came before
            dirty.add(this);
            signal();
        }

        /** Connects, or writes the next request once the one before was answered. */
        private void next() {
            try {
                if (ended != null) {
                    fail(ended); // a request queued as the connection ended
                    return;
                }
                if (inFlight != null) {
                    return;
                }
                if (channel == null) {
                    channel = SocketChannel.open();
                    channel.configureBlocking(false);
                    channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                    connected = channel.connect(address);
                    selection = channel.register(selector, connected ? 0 : SelectionKey.OP_CONNECT, this);
                    if (!connected) {
                        return;
                    }
                }
                if (!connected) {
                    return;
                }
                Request request = queued.poll();
                if (request == null) {
                    return;
                }
                if (request.bytes() == null) {
                    end("closed");
                    return;
                }
                inFlight = request;
                out = ByteBuffer.wrap(request.bytes());
                write();
            } catch (IOException | RuntimeException e) {
                end("failed: " + e);
            }
        }

        private void ready(SelectionKey key) {
            try {
                if (key.isValid() && key.isConnectable() && channel.finishConnect()) {
                    connected = true;
                    selection.interestOps(SelectionKey.OP_READ);
                    next();
                }
                if (key.isValid() && key.isWritable()) {
                    write();
                }
                if (key.isValid() && key.isReadable()) {
                    read();
                }
            } catch (IOException | RuntimeException e) {
                end("failed: " + e);
            }
        }

        private void write() throws IOException {
            channel.write(out);
            selection.interestOps(
                    out.hasRemaining() ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
        }

        private void read() throws IOException {
            if (!in.hasRemaining()) {
                if (in.capacity() >= MAX_RESPONSE) {
                    throw new IOException("an answer over " + MAX_RESPONSE + " bytes");
                }
                in = ByteBuffer.allocate(Math.min(MAX_RESPONSE, 2 * in.capacity()))
                        .put(in.flip());
            }
            int n = channel.read(in);
            if (n < 0) {
                end("the server closed the connection");
                return;
            }
            answer();
        }

        /** Hands on the answer to the request in flight once it arrived whole, then starts the next request. */
        private void answer() {
            byte[] data = in.array();
            int length = in.position();
            int headers = indexOf(data, 0, length, END_OF_HEADERS);
            if (headers < 0 || inFlight == null) {
                return;
            }
            String head = new String(data, 0, headers, StandardCharsets.ISO_8859_1);
            int status = status(head);
            int bodyStart = headers + END_OF_HEADERS.length;
            boolean close = header(head, "connection").equalsIgnoreCase("close");
            byte[] body = data;
            int bodyOffset = bodyStart;
            int bodyLength;
            int end;
            String declared = header(head, "content-length");
            if (header(head, "transfer-encoding").toLowerCase(Locale.ROOT).contains("chunked")) {
                ByteBuffer joined = ByteBuffer.allocate(length - bodyStart);
                end = dechunk(data, bodyStart, length, joined);
                if (end < 0) {
                    return;
                }
                body = joined.array();
                bodyOffset = 0;
                bodyLength = joined.position();
            } else {
                bodyLength = declared.isEmpty() ? 0 : Integer.parseInt(declared.trim());
                end = bodyStart + bodyLength;
                if (end > MAX_RESPONSE) {
                    end("an answer over " + MAX_RESPONSE + " bytes");
                    return;
                }
                if (length < end) {
                    return;
                }
            }
            Request answered = inFlight;
            inFlight = null;
            try {
                answered.answer().answered(status, body, bodyOffset, bodyLength);
            } finally {
                // What followed the answer stays for the next (a server answers only what was asked, so nothing).
                in.limit(length).position(end);
                in.compact();
            }
            if (close) {
                end("the server closed the connection after its answer");
            } else {
                next();
            }
        }

        /** Ends the connection once: what was in flight or queued fails with {@code why}. */
        private void end(String why) {
            if (ended != null) {
                return;
            }
            ended = why;
            if (selection != null) {
                selection.cancel();
            }
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException e) {
                    // closed either way
                }
            }
            if (inFlight != null) {
                inFlight.answer().failed(why);
                inFlight = null;
            }
            fail(why);
        }

        private void fail(String why) {
            for (Request r = queued.poll(); r != null; r = queued.poll()) {
                if (r.answer() != null) {
                    r.answer().failed(why);
                }
            }
        }
    }

    /** The status code of a response's head ({@code HTTP/1.1 200 OK ...}). */
    static int status(String head) {
        int space = head.indexOf(' ');
        if (!head.startsWith("HTTP/1.") || space < 0 || head.length() < space + 4) {
            throw new IllegalStateException(
                    "not an HTTP/1.x answer: " + head.lines().findFirst().orElse(""));
        }
        return Integer.parseInt(head.substring(space + 1, space + 4));
    }

    /** The value of header {@code name} (lower case) in a response's head, or "" when absent. */
    static String header(String head, String name) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        return "";
    }

    /**
     * Joins the chunks of a chunked body in {@code [from, end)} into {@code into}; where the body ends (its last
     * chunk and trailers read), or -1 while some of it has not arrived.
     */
    static int dechunk(byte[] data, int from, int end, ByteBuffer into) {
        int i = from;
        while (true) {
            int line = indexOf(data, i, end, END_OF_HEADERS, 2);
            if (line < 0) {
                return -1;
            }
            String size = new String(data, i, line - i, StandardCharsets.US_ASCII);
            int semicolon = size.indexOf(';');
            int n = Integer.parseInt((semicolon >= 0 ? size.substring(0, semicolon) : size).trim(), 16);
            i = line + 2;
            if (n == 0) {
                // Trailers, if any, end with an empty line.
                while (true) {
                    int trailer = indexOf(data, i, end, END_OF_HEADERS, 2);
                    if (trailer < 0) {
                        return -1;
                    }
                    boolean empty = trailer == i;
                    i = trailer + 2;
                    if (empty) {
                        return i;
                    }
                }
            }
            if (end - i < n + 2) {
                return -1;
            }
            into.put(data, i, n);
            i += n + 2;
        }
    }

    private static int indexOf(byte[] data, int from, int end, byte[] key) {
        return indexOf(data, from, end, key, key.length);
    }

    /** Where the first {@code keyLength} bytes of {@code key} occur in {@code [from, end)}, or -1. */
    private static int indexOf(byte[] data, int from, int end, byte[] key, int keyLength) {
        outer:
        for (int i = from; i + keyLength <= end; i++) {
            for (int k = 0; k < keyLength; k++) {
                if (data[i + k] != key[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
