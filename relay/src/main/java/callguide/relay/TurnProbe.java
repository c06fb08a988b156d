package callguide.relay;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;

/**
 * Asks a TURN server for an allocation without credentials (RFC 8656 section 7.2) and checks the
 * answer is the challenge a TURN server gives: an Allocate error response with 401 and the
 * expected REALM. A STUN-only responder ignores such a request, so an answer proves that this
 * realm's TURN server listens there, not whatever else holds the port.
 */
final class TurnProbe {

    private static final int MAGIC_COOKIE = 0x2112A442;
    private static final short ALLOCATE_REQUEST = 0x0003;
    private static final short ALLOCATE_ERROR = 0x0113;
    private static final short REQUESTED_TRANSPORT = 0x0019;
    private static final short ERROR_CODE = 0x0009;
    private static final short REALM = 0x0014;
    private static final int UDP = 17;
    private static final SecureRandom RANDOM = new SecureRandom();

    private TurnProbe() {}

    /** True when a TURN server of {@code realm} answered on UDP within {@code wait}. */
    static boolean udp(InetSocketAddress server, String realm, Duration wait) {
        byte[] request = allocate();
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.setSoTimeout((int) Math.max(1, wait.toMillis()));
            socket.send(new DatagramPacket(request, request.length, server));
            byte[] buffer = new byte[1500];
            DatagramPacket answer = new DatagramPacket(buffer, buffer.length);
            socket.receive(answer);
            return isChallenge(request, Arrays.copyOf(buffer, answer.getLength()), realm);
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return false; // not listening yet (ICMP port unreachable) or no route: not ready
        }
    }

    /** True when a TURN server of {@code realm} answered on TCP within {@code wait}. */
    static boolean tcp(InetSocketAddress server, String realm, Duration wait) {
        byte[] request = allocate();
        try (Socket socket = new Socket()) {
            int millis = (int) Math.max(1, wait.toMillis());
            socket.connect(server, millis);
            socket.setSoTimeout(millis);
            socket.getOutputStream().write(request);
            DataInputStream in = new DataInputStream(socket.getInputStream());
            byte[] header = new byte[20];
            in.readFully(header);
            int length = ByteBuffer.wrap(header).getShort(2) & 0xffff;
            byte[] answer = Arrays.copyOf(header, 20 + length);
            in.readFully(answer, 20, length);
            return isChallenge(request, answer, realm);
        } catch (IOException e) {
            return false;
        }
    }

    private static byte[] allocate() {
        byte[] transactionId = new byte[12];
        RANDOM.nextBytes(transactionId);
        ByteBuffer out = ByteBuffer.allocate(28);
        out.putShort(ALLOCATE_REQUEST).putShort((short) 8).putInt(MAGIC_COOKIE).put(transactionId);
        out.putShort(REQUESTED_TRANSPORT).putShort((short) 4).put((byte) UDP).put(new byte[3]);
        return out.array();
    }

    static boolean isChallenge(byte[] request, byte[] answer, String realm) {
        if (answer.length < 20) {
            return false;
        }
        ByteBuffer in = ByteBuffer.wrap(answer);
        if (in.getShort(0) != ALLOCATE_ERROR
                || in.getInt(4) != MAGIC_COOKIE
                || !Arrays.equals(answer, 8, 20, request, 8, 20)
                || 20 + (in.getShort(2) & 0xffff) != answer.length) {
            return false;
        }
        boolean unauthorized = false;
        boolean sameRealm = false;
        for (int at = 20; at + 4 <= answer.length; ) {
            int type = in.getShort(at) & 0xffff;
            int length = in.getShort(at + 2) & 0xffff;
            if (at + 4 + length > answer.length) {
                return false;
            }
            if (type == ERROR_CODE && length >= 4) {
                unauthorized = (answer[at + 6] & 0x07) * 100 + (answer[at + 7] & 0xff) == 401;
            } else if (type == REALM) {
                sameRealm = realm.equals(new String(answer, at + 4, length, StandardCharsets.UTF_8));
            }
            at += 4 + ((length + 3) & ~3);
        }
        return unauthorized && sameRealm;
    }
}
