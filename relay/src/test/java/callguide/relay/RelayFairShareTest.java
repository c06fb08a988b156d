package callguide.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * One client cannot take every room or every connection. The attacker connects from 127.0.0.2
 * (the loopback interface still: every packet stays on this machine), so that the bystanders'
 * fresh call from 127.0.0.1 is "another address".
 */
@DisplayName("Fair shares per client address")
class RelayFairShareTest {
    private static final String ATTACKER = "127.0.0.2";
    private Relay relay;

    @BeforeEach
    void start() {
        relay = Relay.start(RelayConfig.defaults().withPort(0).withStunPort(-1));
    }

    @AfterEach
    void stop() {
        relay.close();
    }

    @Test
    @DisplayName("1,000 polling joins from one address open its 20 rooms and no more; the rest are refused, and "
            + "another address still joins")
    void roomFilling() throws Exception {
        int opened = 0;
        List<Integer> refusals = new ArrayList<>();
        String firstRefusal = null;
        for (int i = 0; i < 1000; i++) {
            RawHttp.Response join = RawHttp.send(relay, ATTACKER, "POST", "/rooms/grab-" + i + "/peers/p", Map.of());
            if (join.status() == 201) {
                opened++;
            } else {
                refusals.add(join.status());
                if (firstRefusal == null) {
                    firstRefusal = join.code();
                }
            }
        }
        int share = relay.config().caps().roomsPerAddress();
        assertThat(opened).as("rooms one address opened with 1,000 joins").isEqualTo(share);
        assertThat(firstRefusal)
                .as("the first refusal past the address's share")
                .isEqualTo("address-limit");
        assertThat(refusals)
                .as("every refusal: 429 (address-limit, then rate-limited once the address keeps asking), or "
                        + "503 when its"
                        + " closed connections were not yet counted closed")
                .allSatisfy(status -> assertThat(status).isIn(429, 503));
        assertThat(TestClient.health(relay).path("rooms").asInt())
                .as("rooms open: only the attacker's share")
                .isEqualTo(share);
        Attacks.freshExchange(relay);
    }

    @Test
    @DisplayName("200 half-open requests from one address hold at most its 64 connections; the rest get 503 "
            + "address-limit, while /health and a fresh call answer")
    void halfOpenRequests() throws Exception {
        int cap = relay.config().caps().connectionsPerAddress();
        List<Socket> sockets = new ArrayList<>();
        int refused = 0;
        try {
            for (int i = 0; i < 200; i++) {
                Socket socket = new Socket();
                socket.bind(new InetSocketAddress(InetAddress.getByName(ATTACKER), 0));
                socket.connect(new InetSocketAddress("127.0.0.1", relay.port()), 5000);
                socket.getOutputStream()
                        .write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                .getBytes(StandardCharsets.US_ASCII)); // never ended
                sockets.add(socket);
            }
            await("the relay counts the attacker's connections")
                    .atMost(Duration.ofSeconds(5))
                    .untilAsserted(() -> {
                        assertThat(relay.connector().openFrom(ATTACKER))
                                .as("connections open from the attacker")
                                .isLessThanOrEqualTo(cap);
                        assertThat(relay.connector().refused())
                                .as("connections refused")
                                .isGreaterThanOrEqualTo(200 - cap);
                    });
            for (Socket socket : sockets) {
                socket.setSoTimeout(20);
                String answer = readSome(socket.getInputStream());
                if (answer.startsWith("HTTP/1.1 503")) {
                    refused++;
                    assertThat(answer)
                            .as("a refused connection's answer names the code")
                            .contains("\"code\":\"address-limit\"");
                }
            }
            assertThat(relay.connector().openFrom(ATTACKER))
                    .as("connections the attacker's address holds open (cap %d)", cap)
                    .isLessThanOrEqualTo(cap);
            assertThat(refused)
                    .as("connections past the cap answered 503 address-limit")
                    .isEqualTo(200 - cap);
            long start = System.nanoTime();
            assertThat(TestClient.health(relay).path("status").asText())
                    .as("/health from another address")
                    .isEqualTo("ok");
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .as("/health's answer time during the attack")
                    .isLessThan(Duration.ofSeconds(1));
            Attacks.freshExchange(relay);
        } finally {
            for (Socket socket : sockets) {
                socket.close();
            }
        }
        await("the attacker's connections released")
                .atMost(Duration.ofSeconds(5))
                .until(() -> relay.connector().openFrom(ATTACKER) == 0);
    }

    @Test
    @DisplayName("the cap on all connections stays under the process's file limit")
    void underTheFileLimit() {
        long files = ((com.sun.management.UnixOperatingSystemMXBean)
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getMaxFileDescriptorCount();
        assertThat((long) CappedConnector.connectionCap(0))
                .as("the connection cap with a file limit of %d", files)
                .isLessThan(files);
        assertThat(CappedConnector.connectionCap(0))
                .as("the connection cap leaves room for one address's share")
                .isGreaterThan(relay.config().caps().connectionsPerAddress());
    }

    @Test
    @DisplayName("a connection kept open keeps no cache of header values (a polling peer holds two connections)")
    void noHeaderCache() {
        // Jetty's default cache (1,024 entries) cost about 50 KB a connection: 1,000 polling peers ran a relay of
        // 128 MB out of heap (bench relay, long polling at 500 rooms).
        assertThat(relay.connector()
                        .getConnectionFactory(org.eclipse.jetty.server.HttpConnectionFactory.class)
                        .getHttpConfiguration()
                        .getHeaderCacheSize())
                .as("entries of Jetty's header cache on each connection")
                .isZero();
    }

    /** What has arrived on the socket so far (nothing if the relay has said nothing). */
    private static String readSome(InputStream in) throws IOException {
        byte[] buffer = new byte[2048];
        try {
            int n = in.read(buffer);
            return n <= 0 ? "" : new String(buffer, 0, n, StandardCharsets.UTF_8);
        } catch (java.net.SocketTimeoutException quiet) {
            return "";
        } catch (java.net.SocketException reset) {
            return "reset";
        }
    }
}
