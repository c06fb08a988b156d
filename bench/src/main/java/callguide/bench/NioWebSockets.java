package callguide.bench;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The load generator's WebSocket client (RFC 6455, plain {@code ws://} only): one selector thread drives every client
 * socket of a configuration, so a thousand clients cost one thread, not a thousand, and the figures measure the
 * server rather than the client. The JDK's client topped out at 30-40k messages a second here; this one does the
 * least a client must: the upgrade handshake (the 101 and {@code Sec-WebSocket-Accept} checked), client frames masked
 * with a fresh random key each (a long at a time), server frames parsed (text, continuation, ping answered with a
 * pong, close answered and ended). It offers no extension, so permessage-deflate is never on, and it hands text on
 * as bytes (no UTF-8 decoding, no validation: the bench's messages are JSON it reads with {@link BenchPeer.WsPeer}).
 *
 * <p>Threads: {@link Socket#sendText} and {@link Socket#close} may be called from any thread (the bench's sending
 * thread). A lone message (none sent in the {@link #BURST_NANOS} before it) to a socket with nothing waiting is
 * written at once by the sending thread, so no hand-over between threads adds to a paced message's latency. A
 * message of a burst is appended to its socket's bounded output buffer and left to the selector thread, which writes
 * a socket's whole buffer in one call: a write costs about 10 us here, and one a message would make the generator
 * the bottleneck flat out. Every {@link Listener} method but {@code onClosed} after an {@link Socket#abort} runs on
 * the selector thread.
 *
 * <p>Nothing grows without bound: a socket's output is {@link #OUT_CAPACITY} bytes, and a sender that finds it full
 * (its socket took nothing more) waits, at most {@link #SEND_WAIT}, and is counted ({@link #sendWaits()}); a message
 * from the server may be at most {@link #MAX_MESSAGE} bytes.
 */
final class NioWebSockets extends SelectorLoop<NioWebSockets.Socket> {
    /**
     * Handshakes in flight at once: the rest wait their turn here. Many at once, as a class joining together would,
     * yet below Node's default listen backlog (511, PeerJS server's) and the kernel's caps (somaxconn 4096,
     * tcp_max_syn_backlog 2048 here), so a server whose accept queue is sized for it loses none. Jetty's is the JDK's
     * default, 50, unless set: a server that keeps it drops connections under this burst, which then wait a second
     * or more for a retransmit; {@link RelayLoad} says so when it happens, as that is the server's join time.
     */
    static final int HANDSHAKES_IN_FLIGHT = 256;
    /** A socket's output buffer: a burst of candidates (or a few offers) at a time, 32 MB for 1,000 clients. */
    static final int OUT_CAPACITY = 32 * 1024;
    /** A socket's input buffer to begin with; it grows (to {@link #MAX_MESSAGE}) only for a bigger frame. */
    static final int IN_CAPACITY = 16 * 1024;
    /** The largest message taken from a server: far above any message the servers here send (the relay's cap). */
    static final int MAX_MESSAGE = 1 << 20;
    /**
     * A message sent this soon after the one before is part of a burst (flat out: about a microsecond apart; paced:
     * 200 us or more apart, as at 5,000 msgs/s).
     */
    static final long BURST_NANOS = 50_000;
    /** How long a sender waits for room in a socket that takes nothing more before the send fails. */
    static final Duration SEND_WAIT = Duration.ofSeconds(10);

    static final int TEXT = 0x1;
    static final int CLOSE = 0x8;
    static final int PING = 0x9;
    static final int PONG = 0xA;
    private static final int CONTINUATION = 0x0;
    private static final int BINARY = 0x2;
    /** The close code of a connection that ended without a close frame (RFC 6455 7.4.1; never sent). */
    static final int ABNORMAL = 1006;

    private static final String ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final byte[] NOTHING = new byte[0];

    /** What a socket tells its owner; see the class comment for the threads. */
    interface Listener {
        /** The server answered 101 with the right accept key: frames may go both ways. */
        void onOpen(Socket socket);

        /** A whole text message (its fragments joined) in {@code data} from {@code offset}: read before returning. */
        void onText(byte[] data, int offset, int length);

        /**
         * The socket ended, once: {@code code} the server's close code, or {@link #ABNORMAL} with {@code why} when
         * it ended without a close (refused, failed, aborted, the server gone).
         */
        void onClosed(int code, String why);
    }

    private final Queue<Socket> connects = new ConcurrentLinkedQueue<>();
    private final Queue<Socket> dirty = new ConcurrentLinkedQueue<>();

    private final AtomicInteger handshaking = new AtomicInteger();
    private final AtomicLong socketsFull = new AtomicLong();
    private final AtomicLong sendWaits = new AtomicLong();
    /** When a message was last sent, by any thread (a race between senders only blurs the burst's edge). */
    private volatile long lastSend;

    /** Starts the selector thread, named {@code name}; {@link #close} stops it, and every socket still open ends. */
    NioWebSockets(String name) throws IOException {
        super(name);
        start();
    }

    /**
     * Opens a WebSocket to {@code uri} ({@code ws://host:port/path?query}): queued, then connected and upgraded by the
     * selector thread, at most {@link #HANDSHAKES_IN_FLIGHT} at a time; {@code listener} hears how it went.
     */
    Socket open(URI uri, Listener listener) {
        if (!"ws".equals(uri.getScheme()) || uri.getHost() == null || uri.getPort() < 0) {
            throw new IllegalArgumentException("the load generator speaks ws://host:port only, not " + uri);
        }
        Socket socket = new Socket(uri, listener);
        connects.add(socket);
        signal();
        return socket;
    }

    /** How many times a socket would take no more and had to wait to be writable again. */
    long socketsFull() {
        return socketsFull.get();
    }

    /** How many sends found their socket's output buffer full, and the socket taking no more, and waited. */
    long sendWaits() {
        return sendWaits.get();
    }

    /** Before each select: starts queued connections (within the bound), writes the sockets with output waiting. */
    @Override
    void pending() {
        startConnects();
        for (Socket s = dirty.poll(); s != null; s = dirty.poll()) {
            flush(s);
        }
    }

    /** The selector thread, stopping: every socket ends ({@code onClosed}, abnormal), those still queued too. */
    @Override
    void stopped(String why, List<Socket> registered) {
        for (Socket s : registered) {
            s.end(ABNORMAL, why);
        }
        for (Socket s = connects.poll(); s != null; s = connects.poll()) {
            s.end(ABNORMAL, why);
        }
    }

    /** One socket's readiness: connected, readable, writable; a failure (or a listener's) ends that socket alone. */
    @Override
    void ready(SelectionKey key, Socket s) {
        try {
            if (key.isValid() && key.isConnectable()) {
                s.connected();
            }
            if (key.isValid() && key.isReadable()) {
                s.readable();
            }
            if (key.isValid() && key.isWritable()) {
                s.flush();
            }
        } catch (IOException | RuntimeException e) {
            s.end(ABNORMAL, "failed: " + e);
        }
    }

    /** Writes what waits in {@code s}; a failure ends that socket alone. */
    private static void flush(Socket s) {
        try {
            s.flush();
        } catch (RuntimeException e) {
            s.end(ABNORMAL, "failed: " + e);
        }
    }

    /** Starts queued connections while fewer than {@link #HANDSHAKES_IN_FLIGHT} are under way. */
    private void startConnects() {
        while (handshaking.get() < HANDSHAKES_IN_FLIGHT) {
            Socket s = connects.poll();
            if (s == null) {
                return;
            }
            s.connect();
        }
    }

    /** The frame's size on the wire for a client payload of {@code length} bytes (a mask key with each). */
    static int frameSize(int length) {
        return length + (length < 126 ? 6 : length < 65_536 ? 8 : 14);
    }

    /**
     * XORs {@code length} bytes from {@code offset} with the 4-byte {@code key} as RFC 6455 5.3 asks (byte i with
     * the key's byte i mod 4, the key in network order): eight bytes at a time, the rest one by one.
     */
    static void mask(byte[] data, int offset, int length, int key) {
        int little = Integer.reverseBytes(key); // key byte 0 lowest, as a little-endian long read puts data byte 0
        long mask = (little & 0xFFFF_FFFFL) | ((long) little << 32);
        int i = 0;
        for (; i + 8 <= length; i += 8) {
            LONGS.set(data, offset + i, (long) LONGS.get(data, offset + i) ^ mask);
        }
        for (; i < length; i++) {
            data[offset + i] ^= (byte) (key >>> (24 - 8 * (i & 3)));
        }
    }

    /** The {@code Sec-WebSocket-Accept} a server must answer to {@code key} (RFC 6455 4.2.2). */
    static String accept(String key) {
        try {
            byte[] sha1 =
                    MessageDigest.getInstance("SHA-1").digest((key + ACCEPT_GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(sha1);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }

    /** One client WebSocket of this selector. */
    final class Socket {
        private static final int QUEUED = 0;
        private static final int CONNECTING = 1;
        private static final int UPGRADING = 2;
        private static final int OPEN = 3;
        private static final int ENDED = 4;

        private final URI uri;
        private final Listener listener;
        private final String key;
        private final AtomicLong pings = new AtomicLong();

        // Guarded by this: the output side, shared by senders and the selector thread.
        private final ByteBuffer out = ByteBuffer.allocate(OUT_CAPACITY);
        /** Written under the lock, read anywhere. */
        private volatile int state = QUEUED;

        private boolean queued;
        private boolean waiting;
        private boolean closeSent;
        /** A ping to answer: the latest only, as RFC 6455 5.5.3 allows. */
        private byte[] pong;

        // The selector thread's alone.
        private volatile SocketChannel channel;
        private SelectionKey selection;
        private ByteBuffer in = ByteBuffer.allocate(IN_CAPACITY);
        private byte[] message = NOTHING;
        private int messageLength = -1; // -1: no fragmented message under way
        private boolean writing;

        private Socket(URI uri, Listener listener) {
            this.uri = uri;
            this.listener = listener;
            byte[] nonce = new byte[16];
            ThreadLocalRandom.current().nextBytes(nonce);
            this.key = Base64.getEncoder().encodeToString(nonce);
        }

        /** Pings the server sent so far (each answered). */
        long pings() {
            return pings.get();
        }

        /** Sends one text frame: {@code head}, then {@code tail}'s first {@code tailLength} bytes; false if ended. */
        boolean sendText(byte[] head, byte[] tail, int tailLength) {
            int length = head.length + tailLength;
            if (frameSize(length) > OUT_CAPACITY) {
                throw new IllegalArgumentException(
                        "a message of " + length + " bytes is over the load generator's " + OUT_CAPACITY);
            }
            long now = System.nanoTime();
            boolean lone = now - lastSend >= BURST_NANOS;
            lastSend = now;
            synchronized (this) {
                if (!room(frameSize(length))) {
                    return false;
                }
                boolean direct = lone && out.position() == 0 && !queued;
                frame(TEXT, head, head.length, tail, tailLength);
                if (!direct || !writeOut() || out.position() > 0) {
                    dirty(); // the selector thread writes it (a failed write: it ends the socket)
                }
            }
            return true;
        }

        /** Sends {@code text} whole (the tests' messages). */
        boolean sendText(String text) {
            return sendText(text.getBytes(StandardCharsets.UTF_8), NOTHING, 0);
        }

        /**
         * Starts the closing handshake ({@code code}, {@code reason}); {@code onClosed} follows once the server's
         * close arrived. Nothing more is sent after it.
         */
        void close(int code, String reason) {
            byte[] why = reason.getBytes(StandardCharsets.UTF_8);
            byte[] body = new byte[2 + why.length];
            body[0] = (byte) (code >> 8);
            body[1] = (byte) code;
            System.arraycopy(why, 0, body, 2, why.length);
            synchronized (this) {
                if (closeSent || state == ENDED) {
                    return; // closing already, or over
                }
                if (state == OPEN && room(frameSize(body.length))) {
                    frame(CLOSE, body, body.length, NOTHING, 0);
                    closeSent = true;
                    dirty();
                    return;
                }
            }
            abort("closed before it was open");
        }

        /** Ends the socket now, without a closing handshake ({@code onClosed} on this thread). */
        void abort(String why) {
            end(ABNORMAL, why);
        }

        /** Waits (bounded) until {@code size} bytes fit in the output buffer; false if ended, closing or too long. */
        private boolean room(int size) {
            if (state != OPEN || closeSent) {
                return false;
            }
            if (out.remaining() >= size) {
                return true;
            }
            // Written here rather than waited for: the selector thread may not have had its turn (one core).
            if (!writeOut()) {
                return false; // the selector thread ends it on its next write
            }
            if (out.remaining() >= size) {
                return true;
            }
            sendWaits.incrementAndGet();
            long deadline = System.nanoTime() + SEND_WAIT.toNanos();
            waiting = true;
            dirty(); // the selector thread writes it, then wakes this one
            try {
                while (out.remaining() < size && state == OPEN) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } finally {
                waiting = false;
            }
            return state == OPEN && !closeSent;
        }

        /** Writes what the socket takes of the output buffer (the lock held); false if the connection failed. */
        private boolean writeOut() {
            out.flip();
            try {
                channel.write(out);
                return true;
            } catch (IOException e) {
                return false;
            } finally {
                out.compact();
            }
        }

        /** Appends one masked frame of {@code a} then {@code b}'s first {@code bLength} bytes; the room is there. */
        private void frame(int opcode, byte[] a, int aLength, byte[] b, int bLength) {
            int length = aLength + bLength;
            out.put((byte) (0x80 | opcode)); // FIN: every frame of ours is a whole message
            if (length < 126) {
                out.put((byte) (0x80 | length));
            } else if (length < 65_536) {
                out.put((byte) (0x80 | 126)).putShort((short) length);
            } else {
                out.put((byte) (0x80 | 127)).putLong(length);
            }
            int maskKey = ThreadLocalRandom.current().nextInt();
            out.putInt(maskKey);
            int start = out.position();
            out.put(a, 0, aLength).put(b, 0, bLength);
            mask(out.array(), out.arrayOffset() + start, length, maskKey);
        }

        /** Queues this socket for the selector thread to write (once, however many frames wait). */
        private void dirty() {
            if (!queued) {
                queued = true;
                dirty.add(this);
                signal();
            }
        }

        /** The selector thread: opens the connection and starts connecting. */
        private void connect() {
            synchronized (this) {
                if (state != QUEUED) {
                    return; // aborted while it waited its turn
                }
                state = CONNECTING;
            }
            handshaking.incrementAndGet();
            try {
                channel = SocketChannel.open();
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                selection = channel.register(selector, SelectionKey.OP_CONNECT, this);
                if (state == ENDED) {
                    channel.close(); // aborted while this opened it
                } else if (channel.connect(new InetSocketAddress(uri.getHost(), uri.getPort()))) {
                    connected();
                }
            } catch (IOException | RuntimeException e) {
                end(ABNORMAL, "could not connect to " + uri + ": " + e);
            }
        }

        /** The selector thread: connected, so the upgrade request goes out. */
        private void connected() throws IOException {
            if (!channel.finishConnect()) {
                return;
            }
            String target = uri.getRawPath() + (uri.getRawQuery() != null ? "?" + uri.getRawQuery() : "");
            String request = "GET " + (target.isEmpty() ? "/" : target) + " HTTP/1.1\r\n"
                    + "Host: " + uri.getHost() + ":" + uri.getPort() + "\r\n"
                    + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
            synchronized (this) {
                if (state != CONNECTING) {
                    return;
                }
                state = UPGRADING;
                out.put(request.getBytes(StandardCharsets.US_ASCII));
            }
            selection.interestOps(SelectionKey.OP_READ);
            flush();
        }

        /** The selector thread: writes what waits, answers a ping, and watches for writability while some is left. */
        private void flush() {
            boolean left;
            boolean failed = false;
            synchronized (this) {
                queued = false;
                if (state != UPGRADING && state != OPEN) {
                    return; // written once connected (the request), or never
                }
                if (pong != null && out.remaining() >= frameSize(pong.length)) {
                    frame(PONG, pong, pong.length, NOTHING, 0);
                    pong = null;
                }
                if (out.position() > 0 && !writeOut()) {
                    failed = true;
                }
                left = out.position() > 0 || pong != null;
                if (waiting) {
                    notifyAll();
                }
            }
            if (failed) {
                end(ABNORMAL, "the connection failed while writing");
                return;
            }
            if (left != writing) {
                writing = left;
                if (left) {
                    socketsFull.incrementAndGet();
                }
                selection.interestOps(left ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
            }
        }

        /** The selector thread: reads what arrived, then the 101 or the frames in it. */
        private void readable() throws IOException {
            int n = channel.read(in);
            if (n < 0) {
                end(
                        ABNORMAL,
                        state == UPGRADING
                                ? "the server closed the connection during the upgrade"
                                : "the connection ended without a close frame");
                return;
            }
            in.flip();
            int need = 0;
            try {
                if (state != UPGRADING || upgraded()) {
                    need = frames();
                }
            } finally {
                in.compact();
            }
            if (need > in.capacity() && state != ENDED) {
                if (need > MAX_MESSAGE + 14) {
                    end(ABNORMAL, "the server sent a frame of over " + MAX_MESSAGE + " bytes");
                    return;
                }
                ByteBuffer bigger = ByteBuffer.allocate(Math.max(need, Math.min(2 * in.capacity(), MAX_MESSAGE + 14)));
                in.flip();
                in = bigger.put(in);
            }
        }

        /**
         * The selector thread: the server's answer to the upgrade, if whole: true once checked and open (the rest of
         * the buffer is frames), false while more is to come; a wrong answer ends the socket.
         */
        private boolean upgraded() {
            int end = -1;
            for (int i = in.position(); i + 3 < in.limit(); i++) {
                if (in.get(i) == '\r' && in.get(i + 1) == '\n' && in.get(i + 2) == '\r' && in.get(i + 3) == '\n') {
                    end = i;
                    break;
                }
            }
            if (end < 0) {
                if (in.limit() >= IN_CAPACITY) {
                    end(ABNORMAL, "the server's answer to the upgrade has no end within " + IN_CAPACITY + " bytes");
                    in.position(in.limit());
                }
                return false;
            }
            String head = new String(
                    in.array(), in.arrayOffset() + in.position(), end - in.position(), StandardCharsets.ISO_8859_1);
            in.position(end + 4);
            String problem = problem(head);
            if (problem != null) {
                end(ABNORMAL, problem);
                in.position(in.limit());
                return false;
            }
            synchronized (this) {
                if (state != UPGRADING) {
                    return false;
                }
                state = OPEN;
            }
            handshaking.decrementAndGet();
            signal(); // a slot for the next handshake
            listener.onOpen(this);
            return true;
        }

        /** What is wrong with the server's answer to the upgrade, or null. */
        private String problem(String head) {
            String[] lines = head.split("\r\n");
            if (!lines[0].startsWith("HTTP/1.1 101")) {
                return "the server refused the upgrade: " + lines[0];
            }
            String upgrade = null;
            String connection = null;
            String accepted = null;
            String extensions = null;
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0) {
                    String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
                    String value = lines[i].substring(colon + 1).trim();
                    switch (name) {
                        case "upgrade" -> upgrade = value;
                        case "connection" -> connection = value;
                        case "sec-websocket-accept" -> accepted = value;
                        case "sec-websocket-extensions" -> extensions = value;
                        default -> {} // the rest is the server's business
                    }
                }
            }
            if (upgrade == null || !upgrade.equalsIgnoreCase("websocket")) {
                return "the server's 101 has no Upgrade: websocket (" + upgrade + ")";
            }
            if (connection == null || !connection.toLowerCase(Locale.ROOT).contains("upgrade")) {
                return "the server's 101 has no Connection: Upgrade (" + connection + ")";
            }
            if (!accept(key).equals(accepted)) {
                return "the server's Sec-WebSocket-Accept is " + accepted + ", not " + accept(key);
            }
            if (extensions != null) {
                return "the server chose extensions that were never offered: " + extensions;
            }
            return null;
        }

        /**
         * The selector thread: every whole frame in the buffer, handled; the size of the frame that is not yet whole
         * (so the buffer can grow for it), or 0.
         */
        private int frames() {
            byte[] data = in.array();
            int base = in.arrayOffset();
            while (in.remaining() >= 2 && state != ENDED) {
                int p = in.position();
                int b0 = data[base + p] & 0xFF;
                int b1 = data[base + p + 1] & 0xFF;
                int header = 2;
                long length = b1 & 0x7F;
                if (length == 126) {
                    header = 4;
                } else if (length == 127) {
                    header = 10;
                }
                if (in.remaining() < header) {
                    return header;
                }
                if (header == 4) {
                    length = in.getShort(p + 2) & 0xFFFF;
                } else if (header == 10) {
                    length = in.getLong(p + 2);
                }
                if ((b1 & 0x80) != 0 || (b0 & 0x70) != 0 || length < 0 || length > MAX_MESSAGE) {
                    end(
                            ABNORMAL,
                            (b1 & 0x80) != 0
                                    ? "the server masked a frame (RFC 6455 5.1 forbids it)"
                                    : (b0 & 0x70) != 0
                                            ? "the server set reserved bits (no extension was agreed)"
                                            : "the server sent a frame of " + length + " bytes (at most " + MAX_MESSAGE
                                                    + ")");
                    return 0;
                }
                int total = header + (int) length;
                if (in.remaining() < total) {
                    return total;
                }
                in.position(p + total);
                frame((b0 & 0x80) != 0, b0 & 0x0F, data, base + p + header, (int) length);
            }
            return 0;
        }

        /** The selector thread: one whole frame from the server. */
        private void frame(boolean fin, int opcode, byte[] data, int offset, int length) {
            switch (opcode) {
                case TEXT -> {
                    if (messageLength >= 0) {
                        end(ABNORMAL, "the server began a message before its last one ended");
                    } else if (fin) {
                        listener.onText(data, offset, length);
                    } else {
                        messageLength = 0;
                        append(data, offset, length);
                    }
                }
                case CONTINUATION -> {
                    if (messageLength < 0) {
                        end(ABNORMAL, "the server sent a continuation frame with no message under way");
                    } else if (append(data, offset, length) && fin) {
                        int whole = messageLength;
                        messageLength = -1;
                        listener.onText(message, 0, whole);
                    }
                }
                case PING -> {
                    pings.incrementAndGet();
                    byte[] payload = new byte[length];
                    System.arraycopy(data, offset, payload, 0, length);
                    synchronized (this) {
                        if (!closeSent) {
                            pong = payload;
                        }
                    }
                    flush();
                }
                case PONG -> {} // none asked for: nothing to do (RFC 6455 5.5.3: an unsolicited pong needs no answer)
                case CLOSE -> closed(data, offset, length);
                case BINARY -> end(ABNORMAL, "the server sent a binary message: none is expected");
                default -> end(ABNORMAL, "the server sent a frame of unknown opcode " + opcode);
            }
        }

        /** Adds a fragment to the message under way; false (and ended) if the message grows over the bound. */
        private boolean append(byte[] data, int offset, int length) {
            int size = messageLength + length;
            if (size > MAX_MESSAGE) {
                end(ABNORMAL, "the server sent a message of over " + MAX_MESSAGE + " bytes");
                return false;
            }
            if (size > message.length) {
                message = java.util.Arrays.copyOf(message, Math.max(size, Math.min(2 * message.length, MAX_MESSAGE)));
            }
            System.arraycopy(data, offset, message, messageLength, length);
            messageLength = size;
            return true;
        }

        /** The selector thread: the server's close frame: answered if it began the closing, then the socket ends. */
        private void closed(byte[] data, int offset, int length) {
            int code = length >= 2 ? ((data[offset] & 0xFF) << 8) | (data[offset + 1] & 0xFF) : 1005;
            String reason = length > 2 ? new String(data, offset + 2, length - 2, StandardCharsets.UTF_8) : "";
            synchronized (this) {
                if (!closeSent) {
                    byte[] echo = {(byte) (code >> 8), (byte) code};
                    out.clear(); // the server is going: what it has not taken yet would never be read
                    frame(CLOSE, echo, code == 1005 ? 0 : 2, NOTHING, 0);
                    closeSent = true;
                }
            }
            flush();
            end(code, reason);
        }

        /** Ends the socket once: its channel closed, its handshake slot freed, its sender woken, its owner told. */
        void end(int code, String why) {
            int was;
            synchronized (this) {
                was = state;
                if (was == ENDED) {
                    return;
                }
                state = ENDED;
                notifyAll();
            }
            if (was == CONNECTING || was == UPGRADING) {
                handshaking.decrementAndGet();
                signal();
            }
            SocketChannel open = channel;
            if (open != null) {
                try {
                    open.close();
                } catch (IOException e) {
                    // closed either way
                }
            }
            listener.onClosed(code, why);
        }
    }
}
