package callguide.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import callguide.relay.Relay;
import callguide.relay.RelayConfig;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The load generator's HTTP client ({@link NioHttp}) and its long-polling peers ({@link BenchPeer.PollingPeer})
 * against the real relay on an ephemeral port of 127.0.0.1, and its chunked bodies read as HTTP/1.1 writes them.
 */
class NioHttpTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    /** A status and body, or why there was none. */
    record Got(int status, String body, String failure) {}

    private static CompletableFuture<Got> ask(NioHttp.Connection connection, String head) {
        CompletableFuture<Got> got = new CompletableFuture<>();
        connection.request(NioHttp.request(head, new byte[0], 0), new NioHttp.Answer() {
            @Override
            public void answered(int status, byte[] body, int offset, int length) {
                got.complete(new Got(status, new String(body, offset, length, StandardCharsets.UTF_8), null));
            }

            @Override
            public void failed(String why) {
                got.complete(new Got(-1, null, why));
            }
        });
        return got;
    }

    @Test
    @DisplayName("requests on one kept-alive connection are answered in turn; a connection closed fails what is left")
    void keepAlive() throws Exception {
        try (Relay relay = Relay.start(RelayConfig.defaults().withPort(0).withStunPort(-1));
                NioHttp http = new NioHttp("test-http")) {
            NioHttp.Connection connection = http.connection(new InetSocketAddress("127.0.0.1", relay.port()));
            String host = "Host: 127.0.0.1:" + relay.port() + "\r\n";
            CompletableFuture<Got> health = ask(connection, "GET /health HTTP/1.1\r\n" + host);
            CompletableFuture<Got> join = ask(connection, "POST /rooms/r/peers/a HTTP/1.1\r\n" + host);
            CompletableFuture<Got> missing = ask(connection, "GET /no/such/page HTTP/1.1\r\n" + host);
            assertThat(health).succeedsWithin(WAIT).satisfies(g -> {
                assertThat(g.status()).as("GET /health").isEqualTo(200);
                assertThat(g.body()).as("its body").contains("\"rooms\"");
            });
            assertThat(join).succeedsWithin(WAIT).satisfies(g -> {
                assertThat(g.status())
                        .as("the join, after /health on the same connection")
                        .isEqualTo(201);
                assertThat(g.body()).as("its body").contains("\"token\"");
            });
            assertThat(missing)
                    .succeedsWithin(WAIT)
                    .extracting(Got::status)
                    .as("a page that is not there, third on the connection")
                    .isEqualTo(404);
            connection.close();
            assertThat(ask(connection, "GET /health HTTP/1.1\r\n" + host))
                    .succeedsWithin(WAIT)
                    .extracting(Got::failure)
                    .as("a request after the connection was closed")
                    .isEqualTo("closed");
        }
    }

    @Test
    @DisplayName("two polling peers join a room, and what each sends reaches the other with its phase, counted once")
    void pollingPeers() throws Exception {
        try (Relay relay = Relay.start(RelayConfig.defaults().withPort(0).withStunPort(-1));
                NioHttp http = new NioHttp("test-polling")) {
            URI base = URI.create(relay.url());
            RelayLoad.Sink sink = new RelayLoad.Sink(0, 0, 6);
            String head = RelayLoad.Payload.CANDIDATE.relayHead;
            BenchPeer a = BenchPeer.PollingPeer.connect(http, base, "room", "a", head, sink)
                    .get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
            BenchPeer b = BenchPeer.PollingPeer.connect(http, base, "room", "b", head, sink)
                    .get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
            for (int i = 0; i < 3; i++) {
                a.send(System.nanoTime(), 2);
                b.send(System.nanoTime(), 2);
            }
            assertThat(sink.throughput.await(WAIT))
                    .as("the six messages arrived")
                    .isTrue();
            await("what each peer counted")
                    .atMost(WAIT)
                    .untilAsserted(() -> assertThat(List.of(a.flatOutReceived(), b.flatOutReceived()))
                            .as("messages each peer received")
                            .containsExactly(3L, 3L));
            assertThat(sink.errors.get()).as("errors: " + sink.firstError).isZero();
            assertThat(List.of(a.close(), b.close()))
                    .allSatisfy(closed -> assertThat(closed).succeedsWithin(WAIT));
            NioHttp.Connection probe = http.connection(new InetSocketAddress("127.0.0.1", relay.port()));
            await("both peers left")
                    .atMost(WAIT)
                    .untilAsserted(() -> assertThat(
                                    ask(probe, "GET /health HTTP/1.1\r\nHost: 127.0.0.1:" + relay.port() + "\r\n")
                                            .get()
                                            .body())
                            .as("the relay's health once both left (DELETE)")
                            .contains("\"peers\":0"));
        }
    }

    @Test
    @DisplayName("a chunked body is joined, with chunk extensions and trailers, and incomplete until its last chunk")
    void chunked() {
        byte[] whole =
                "4;ext=1\r\nWiki\r\n6\r\npedia \r\n0\r\nTrailer: x\r\n\r\nNEXT".getBytes(StandardCharsets.US_ASCII);
        ByteBuffer joined = ByteBuffer.allocate(whole.length);
        int end = NioHttp.dechunk(whole, 0, whole.length, joined);
        assertThat(new String(joined.array(), 0, joined.position(), StandardCharsets.US_ASCII))
                .as("the chunks joined")
                .isEqualTo("Wikipedia ");
        assertThat(new String(whole, end, whole.length - end, StandardCharsets.US_ASCII))
                .as("what follows the body")
                .isEqualTo("NEXT");
        for (int cut = 0; cut < whole.length - "NEXT".length(); cut++) {
            assertThat(NioHttp.dechunk(whole, 0, cut, ByteBuffer.allocate(whole.length)))
                    .as("the body cut after %d bytes", cut)
                    .isEqualTo(-1);
        }
    }
}
