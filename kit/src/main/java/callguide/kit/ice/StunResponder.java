package callguide.kit.ice;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A STUN server that answers Binding requests and nothing else (RFC 8489, section 7.3): the
 * response tells a peer which address and port its request came from, as an XOR-MAPPED-ADDRESS.
 * That is all ICE needs to turn a socket bound to the wildcard address into a
 * {@code srflx 127.0.0.1} candidate, so calls connect on a machine with no network at all.
 *
 * <p>Anything that is not a well-formed Binding request (too short, wrong magic cookie, another
 * method) is ignored, as RFC 8489 asks. One daemon thread serves the socket until {@link #close()}.
 */
public final class StunResponder implements AutoCloseable {

    private static final int HEADER_LENGTH = 20;
    private static final int MAGIC_COOKIE = 0x2112A442;
    private static final short BINDING_REQUEST = 0x0001;
    private static final short BINDING_SUCCESS = 0x0101;
    private static final short XOR_MAPPED_ADDRESS = 0x0020;
    private static final byte FAMILY_IPV4 = 0x01;

    private final DatagramSocket socket;
    // Kept from the start: a closed DatagramSocket reports port -1 and no address.
    private final int port;
    private final InetAddress address;
    private final Thread thread;
    private final AtomicLong answered = new AtomicLong();

    private StunResponder(DatagramSocket socket) {
        this.socket = socket;
        this.port = socket.getLocalPort();
        this.address = socket.getLocalAddress();
        this.thread = new Thread(this::serve, "stun-" + socket.getLocalPort());
        this.thread.setDaemon(true);
    }

    /** Binds UDP {@code address:port} ({@code port} 0 for an ephemeral one) and starts answering. */
    public static StunResponder start(InetAddress address, int port) throws IOException {
        StunResponder responder = new StunResponder(new DatagramSocket(new InetSocketAddress(address, port)));
        responder.thread.start();
        return responder;
    }

    /** The UDP port it is bound to (still the same after {@link #close()}). */
    public int port() {
        return port;
    }

    public InetAddress address() {
        return address;
    }

    /** How many Binding requests were answered so far. */
    public long requestsAnswered() {
        return answered.get();
    }

    private void serve() {
        byte[] buffer = new byte[1500];
        while (!socket.isClosed()) {
            DatagramPacket request = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(request);
                byte[] response = respond(buffer, request.getLength(), request.getAddress(), request.getPort());
                if (response != null) {
                    socket.send(new DatagramPacket(response, response.length, request.getSocketAddress()));
                    answered.incrementAndGet();
                }
            } catch (SocketException closed) {
                return;
            } catch (IOException | RuntimeException e) {
                // One bad datagram or a failed send must not stop the responder for everyone else.
            }
        }
    }

    /**
     * The Binding success response to {@code request}, or {@code null} when it is not a Binding
     * request this responder answers.
     */
    static byte[] respond(byte[] request, int length, InetAddress from, int fromPort) {
        if (length < HEADER_LENGTH || !(from instanceof Inet4Address)) {
            return null;
        }
        ByteBuffer in = ByteBuffer.wrap(request, 0, length);
        short type = in.getShort(0);
        int bodyLength = in.getShort(2) & 0xffff;
        if (type != BINDING_REQUEST || in.getInt(4) != MAGIC_COOKIE || HEADER_LENGTH + bodyLength != length) {
            return null;
        }
        ByteBuffer out = ByteBuffer.allocate(HEADER_LENGTH + 12);
        out.putShort(BINDING_SUCCESS);
        out.putShort((short) 12);
        out.putInt(MAGIC_COOKIE);
        out.put(request, 8, 12); // the transaction id, echoed
        out.putShort(XOR_MAPPED_ADDRESS);
        out.putShort((short) 8);
        out.put((byte) 0);
        out.put(FAMILY_IPV4);
        out.putShort((short) (fromPort ^ (MAGIC_COOKIE >>> 16)));
        out.putInt(ByteBuffer.wrap(from.getAddress()).getInt() ^ MAGIC_COOKIE);
        return out.array();
    }

    @Override
    public void close() {
        socket.close();
    }
}
