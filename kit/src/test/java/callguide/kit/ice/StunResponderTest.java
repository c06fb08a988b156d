package callguide.kit.ice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The STUN responder")
class StunResponderTest {

    private static final int MAGIC_COOKIE = 0x2112A442;
    /** How long a test waits for an answer that should come. */
    private static final int ANSWER_TIMEOUT_MS = 2000;
    /** How long a test waits to be sure no answer comes to a datagram that must be ignored. */
    private static final int SILENCE_TIMEOUT_MS = 300;

    private InetAddress loopback;
    private StunResponder responder;
    private DatagramSocket client;

    @BeforeEach
    void start() throws IOException {
        loopback = InetAddress.getByName("127.0.0.1");
        responder = StunResponder.start(loopback, 0);
        client = new DatagramSocket(new InetSocketAddress(loopback, 0));
    }

    @AfterEach
    void stop() {
        client.close();
        responder.close();
    }

    @Test
    @DisplayName("binds UDP on 127.0.0.1 at an ephemeral port when asked for port 0")
    void bindsLoopback() {
        assertThat(responder.address().getHostAddress())
                .as("the responder's bound address")
                .isEqualTo("127.0.0.1");
        assertThat(responder.port()).as("the ephemeral port the responder got").isBetween(1, 65535);
        assertThat(responder.requestsAnswered())
                .as("requests answered before any was sent")
                .isZero();
    }

    @Test
    @DisplayName("answers a Binding request with a Binding success response carrying the same transaction id "
            + "and an XOR-MAPPED-ADDRESS that decodes to the client's own 127.0.0.1:port")
    void answersBindingRequest() throws IOException {
        byte[] transactionId = transactionId();

        byte[] response = exchange(bindingRequest(transactionId));

        ByteBuffer in = ByteBuffer.wrap(response);
        assertThat(response.length)
                .as("response length: 20-byte header + 12-byte XOR-MAPPED-ADDRESS")
                .isEqualTo(32);
        assertThat(in.getShort(0))
                .as("message type: Binding success response 0x0101")
                .isEqualTo((short) 0x0101);
        assertThat(in.getShort(2) & 0xffff)
                .as("message length in the header: the 12 bytes of attributes")
                .isEqualTo(12);
        assertThat(in.getInt(4)).as("magic cookie 0x2112A442").isEqualTo(MAGIC_COOKIE);
        assertThat(Arrays.copyOfRange(response, 8, 20))
                .as("transaction id echoed from the request")
                .isEqualTo(transactionId);
        assertThat(in.getShort(20))
                .as("attribute type: XOR-MAPPED-ADDRESS 0x0020")
                .isEqualTo((short) 0x0020);
        assertThat(in.getShort(22) & 0xffff)
                .as("XOR-MAPPED-ADDRESS value length for IPv4")
                .isEqualTo(8);
        assertThat(in.get(25)).as("address family: IPv4 (0x01)").isEqualTo((byte) 0x01);

        int port = (in.getShort(26) & 0xffff) ^ (MAGIC_COOKIE >>> 16);
        byte[] address =
                ByteBuffer.allocate(4).putInt(in.getInt(28) ^ MAGIC_COOKIE).array();
        assertThat(InetAddress.getByAddress(address).getHostAddress())
                .as("the decoded XOR-MAPPED-ADDRESS address: the client's own")
                .isEqualTo("127.0.0.1");
        assertThat(port)
                .as("the decoded XOR-MAPPED-ADDRESS port: the client's own")
                .isEqualTo(client.getLocalPort());
    }

    @Test
    @DisplayName("answers a Binding request that carries attributes, as long as its length field is right")
    void answersRequestWithAttributes() throws IOException {
        byte[] transactionId = transactionId();
        ByteBuffer request = ByteBuffer.allocate(28);
        request.putShort((short) 0x0001)
                .putShort((short) 8)
                .putInt(MAGIC_COOKIE)
                .put(transactionId);
        request.putShort((short) 0x8022).putShort((short) 4).put("test".getBytes()); // SOFTWARE

        byte[] response = exchange(request.array());

        assertThat(ByteBuffer.wrap(response).getShort(0))
                .as("a Binding success response")
                .isEqualTo((short) 0x0101);
        assertThat(Arrays.copyOfRange(response, 8, 20))
                .as("the same transaction id")
                .isEqualTo(transactionId);
    }

    @Test
    @DisplayName("ignores garbage (too short, wrong cookie, wrong type, wrong length) and still answers the next good "
            + "request")
    void ignoresGarbage() throws IOException {
        byte[] good = bindingRequest(transactionId());
        byte[] tooShort = Arrays.copyOf(good, 12);
        byte[] empty = new byte[0];
        byte[] wrongCookie = good.clone();
        ByteBuffer.wrap(wrongCookie).putInt(4, 0xCAFEBABE);
        byte[] successResponse = good.clone();
        ByteBuffer.wrap(successResponse).putShort(0, (short) 0x0101);
        byte[] indication = good.clone();
        ByteBuffer.wrap(indication).putShort(0, (short) 0x0011);
        byte[] lengthTooLong = good.clone();
        ByteBuffer.wrap(lengthTooLong).putShort(2, (short) 8); // says 8 bytes of attributes, has none
        byte[] lengthTooShort = Arrays.copyOf(good, 28); // 8 bytes of attributes, header says 0

        for (byte[] garbage :
                new byte[][] {tooShort, empty, wrongCookie, successResponse, indication, lengthTooLong, lengthTooShort
                }) {
            send(garbage);
            assertThat(receive(SILENCE_TIMEOUT_MS))
                    .as("no answer to a malformed datagram of %d bytes: %s", garbage.length, Arrays.toString(garbage))
                    .isNull();
        }
        assertThat(responder.requestsAnswered())
                .as("requests answered after garbage only")
                .isZero();

        byte[] transactionId = transactionId();
        byte[] response = exchange(bindingRequest(transactionId));
        assertThat(Arrays.copyOfRange(response, 8, 20))
                .as("the good request after the garbage is answered with its own transaction id")
                .isEqualTo(transactionId);
    }

    @Test
    @DisplayName("counts the Binding requests it answered")
    void countsAnswers() throws IOException {
        for (int i = 1; i <= 3; i++) {
            exchange(bindingRequest(transactionId()));
            long expected = i;
            await().atMost(Duration.ofSeconds(2))
                    .untilAsserted(() -> assertThat(responder.requestsAnswered())
                            .as("requests answered after %d good ones", expected)
                            .isEqualTo(expected));
        }
        send(new byte[] {1, 2, 3});
        exchange(bindingRequest(transactionId()));
        await().atMost(Duration.ofSeconds(2))
                .untilAsserted(() -> assertThat(responder.requestsAnswered())
                        .as("requests answered: a garbage datagram is not counted")
                        .isEqualTo(4));
    }

    @Test
    @DisplayName("answers several clients, each with its own address")
    void answersEachClient() throws IOException {
        try (DatagramSocket other = new DatagramSocket(new InetSocketAddress(loopback, 0))) {
            other.setSoTimeout(ANSWER_TIMEOUT_MS);
            byte[] request = bindingRequest(transactionId());
            other.send(new DatagramPacket(request, request.length, loopback, responder.port()));
            DatagramPacket packet = new DatagramPacket(new byte[1500], 1500);
            other.receive(packet);
            int port = (ByteBuffer.wrap(packet.getData()).getShort(26) & 0xffff) ^ (MAGIC_COOKIE >>> 16);
            assertThat(port).as("the second client's mapped port is its own").isEqualTo(other.getLocalPort());
        }
        byte[] response = exchange(bindingRequest(transactionId()));
        int port = (ByteBuffer.wrap(response).getShort(26) & 0xffff) ^ (MAGIC_COOKIE >>> 16);
        assertThat(port).as("the first client's mapped port is its own").isEqualTo(client.getLocalPort());
    }

    @Test
    @DisplayName("stops answering once closed")
    void stopsWhenClosed() throws IOException {
        exchange(bindingRequest(transactionId()));
        int portBefore = responder.port();
        responder.close();
        assertThat(responder.port())
                .as("port() after close: still the port it was bound to")
                .isEqualTo(portBefore);
        send(bindingRequest(transactionId()));
        assertThat(receive(SILENCE_TIMEOUT_MS))
                .as("no answer from a closed responder")
                .isNull();
        int port = responder.port();
        assertThatCode(() -> new DatagramSocket(new InetSocketAddress(loopback, port)).close())
                .as("the closed responder's port %d can be bound again", port)
                .doesNotThrowAnyException();
    }

    private static byte[] transactionId() {
        byte[] id = new byte[12];
        ThreadLocalRandom.current().nextBytes(id);
        return id;
    }

    private static byte[] bindingRequest(byte[] transactionId) {
        return ByteBuffer.allocate(20)
                .putShort((short) 0x0001)
                .putShort((short) 0)
                .putInt(MAGIC_COOKIE)
                .put(transactionId)
                .array();
    }

    private void send(byte[] datagram) throws IOException {
        client.send(new DatagramPacket(datagram, datagram.length, loopback, responder.port()));
    }

    /** The next datagram from the responder within {@code timeoutMs}, or null if none came. */
    private byte[] receive(int timeoutMs) throws IOException {
        client.setSoTimeout(timeoutMs);
        DatagramPacket packet = new DatagramPacket(new byte[1500], 1500);
        try {
            client.receive(packet);
        } catch (SocketTimeoutException none) {
            return null;
        }
        assertThat(packet.getPort())
                .as("the answer comes from the responder's port")
                .isEqualTo(responder.port());
        return Arrays.copyOf(packet.getData(), packet.getLength());
    }

    private byte[] exchange(byte[] request) throws IOException {
        send(request);
        byte[] response = receive(ANSWER_TIMEOUT_MS);
        assertThat(response)
                .as("an answer to a well-formed Binding request within %d ms", ANSWER_TIMEOUT_MS)
                .isNotNull();
        return response;
    }
}
