package callguide.relay;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client written by hand on a plain socket, for frames the JDK's client will not send: a text frame whose
 * bytes are not UTF-8, a message in as many fragments as a test wants. Frames are masked, as a client's must be.
 */
final class RawWebSocket implements AutoCloseable {
    static final int TEXT = 0x1;
    static final int BINARY = 0x2;
    static final int CONTINUATION = 0x0;
    static final int CLOSE = 0x8;
    static final int PING = 0x9;
    static final int PONG = 0xA;

    /** A frame from the relay: its opcode and payload (a close's payload starts with its 2-byte code). */
    record Frame(int opCode, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /** A close frame's code, or -1 for any other frame. */
        int closeCode() {
            return opCode == CLOSE && payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : -1;
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    private RawWebSocket(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** Upgrades {@code /rooms/{room}?peer={peer}}; the relay's first frame (its welcome or error) is next to read. */
    static RawWebSocket join(Relay relay, String room, String peer) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(relay.config().host(), relay.port()), 5000);
        socket.setSoTimeout((int) TestClient.WAIT.toMillis());
        String request = "GET /rooms/" + room + "?peer=" + peer + " HTTP/1.1\r\n"
                + "Host: " + relay.config().host() + ":" + relay.port() + "\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
        socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
        RawWebSocket ws = new RawWebSocket(socket);
        String head = ws.head();
        if (!head.startsWith("HTTP/1.1 101")) {
            socket.close();
            throw new IOException("the relay refused the upgrade: " + head);
        }
        return ws;
    }

    /** The answer to the upgrade, read a byte at a time so that no frame after it is taken. */
    private String head() throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
        }
        return head.toString();
    }

    /** One frame, masked: {@code fin} false for a fragment that more follow. */
    synchronized void send(int opCode, boolean fin, byte[] payload) throws IOException {
        int n = payload.length;
        byte[] header;
        if (n < 126) {
            header = new byte[] {(byte) ((fin ? 0x80 : 0) | opCode), (byte) (0x80 | n)};
        } else if (n < 65536) {
            header = new byte[] {(byte) ((fin ? 0x80 : 0) | opCode), (byte) (0x80 | 126), (byte) (n >> 8), (byte) n};
        } else {
            header = new byte[10];
            header[0] = (byte) ((fin ? 0x80 : 0) | opCode);
            header[1] = (byte) (0x80 | 127);
            for (int i = 0; i < 8; i++) {
                header[2 + i] = (byte) ((long) n >>> (56 - 8 * i));
            }
        }
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        byte[] masked = new byte[n];
        for (int i = 0; i < n; i++) {
            masked[i] = (byte) (payload[i] ^ mask[i & 3]);
        }
        out.write(header);
        out.write(mask);
        out.write(masked);
        out.flush();
    }

    /** A text message in one frame. */
    void sendText(String text) throws IOException {
        send(TEXT, true, text.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code text} in fragments of at most {@code size} bytes. */
    void sendFragmented(String text, int size) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        for (int at = 0; at < bytes.length; at += size) {
            byte[] part = java.util.Arrays.copyOfRange(bytes, at, Math.min(bytes.length, at + size));
            send(at == 0 ? TEXT : CONTINUATION, at + size >= bytes.length, part);
        }
    }

    /** The next frame from the relay (unmasked, as a server's are); pings answered and skipped. */
    Frame next() throws IOException {
        while (true) {
            int b0 = in.readUnsignedByte();
            int b1 = in.readUnsignedByte();
            long n = b1 & 0x7F;
            if (n == 126) {
                n = in.readUnsignedShort();
            } else if (n == 127) {
                n = in.readLong();
            }
            byte[] payload = new byte[(int) n];
            in.readFully(payload);
            int opCode = b0 & 0x0F;
            if (opCode == PING) {
                send(PONG, true, payload);
                continue;
            }
            return new Frame(opCode, payload);
        }
    }

    /** The next message of {@code type}, or the next frame that is no text message (a close, say); others skipped. */
    Frame nextOfType(String type) throws IOException {
        while (true) {
            Frame frame = next();
            if (frame.opCode() != TEXT || frame.text().contains("\"type\":\"" + type + "\"")) {
                return frame;
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
