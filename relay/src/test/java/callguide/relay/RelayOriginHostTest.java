package callguide.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Only the relay's own pages, and only its own names")
class RelayOriginHostTest {
    private static final String ATTACKER = "http://attacker.example";
    private static Relay relay;
    private static Relay allowing;

    @BeforeAll
    static void start() {
        relay = Relay.start(RelayConfig.defaults().withPort(0).withStunPort(-1));
        allowing = Relay.start(RelayConfig.defaults()
                .withPort(0)
                .withStunPort(-1)
                .withAccess(Access.defaults()
                        .withAllowOrigins(List.of("https://tutor.example:8443"))
                        .withAllowHosts(List.of("relay.school.example"))));
    }

    @AfterAll
    static void stop() {
        relay.close();
        allowing.close();
    }

    private static String own(Relay r) {
        return "http://127.0.0.1:" + r.port();
    }

    @Nested
    @DisplayName("a browser Origin")
    class Origins {
        @Test
        @DisplayName("from another site is refused 403 on a WebSocket upgrade, before any room is joined")
        void foreignUpgrade() throws Exception {
            RawHttp.Response response = RawHttp.upgrade(relay, "origin-ws", "spy", Map.of("Origin", ATTACKER));
            assertThat(response.status())
                    .as("a WebSocket upgrade from %s", ATTACKER)
                    .isEqualTo(403);
            try (PollingTestPeer spy = PollingTestPeer.joinSilent(relay, "origin-ws", "spy")) {
                assertThat(spy.joinStatus)
                        .as("a join as the refused upgrade's peer id: the id was never taken")
                        .isEqualTo(201);
            }
        }

        @Test
        @DisplayName("from another site is refused 403 forbidden on a polling join, and on a poll with a stolen token")
        void foreignPolling() throws Exception {
            RawHttp.Response join =
                    RawHttp.send(relay, "POST", "/rooms/origin-poll/peers/spy", Map.of("Origin", ATTACKER));
            assertThat(join.status()).as("a polling join from %s", ATTACKER).isEqualTo(403);
            assertThat(join.code()).as("the refusal's code").isEqualTo("forbidden");
            try (PollingTestPeer peer = PollingTestPeer.joinSilent(relay, "origin-poll", "peer")) {
                RawHttp.Response poll = RawHttp.send(
                        relay,
                        "GET",
                        "/rooms/origin-poll/peers/peer/messages?after=0",
                        Map.of("Origin", ATTACKER, "Authorization", "Bearer " + peer.token));
                assertThat(poll.status())
                        .as("a poll from %s, even with the peer's token", ATTACKER)
                        .isEqualTo(403);
            }
        }

        @Test
        @DisplayName("of the relay itself is served: a WebSocket upgrade and a polling join from its own pages")
        void ownOrigin() throws Exception {
            RawHttp.Response upgrade = RawHttp.upgrade(relay, "origin-own", "page", Map.of("Origin", own(relay)));
            assertThat(upgrade.status())
                    .as("an upgrade from the relay's own origin %s", own(relay))
                    .isEqualTo(101);
            RawHttp.Response join =
                    RawHttp.send(relay, "POST", "/rooms/origin-own-poll/peers/page", Map.of("Origin", own(relay)));
            assertThat(join.status())
                    .as("a polling join from the relay's own origin")
                    .isEqualTo(201);
        }

        @Test
        @DisplayName("of the relay under another of its names, or another scheme, is refused: the origin is the one "
                + "the request came in on")
        void ownOriginOtherwise() throws Exception {
            assertThat(RawHttp.send(
                                    relay,
                                    "POST",
                                    "/rooms/origin-https/peers/page",
                                    Map.of("Origin", "https://127.0.0.1:" + relay.port()))
                            .status())
                    .as("https://... against a plain http relay")
                    .isEqualTo(403);
            assertThat(RawHttp.send(relay, "POST", "/rooms/origin-null/peers/page", Map.of("Origin", "null"))
                            .status())
                    .as("Origin: null (a sandboxed frame, a file:// page)")
                    .isEqualTo(403);
        }

        @Test
        @DisplayName("listed with --allow-origin is served; the others still are not")
        void allowOrigin() throws Exception {
            assertThat(RawHttp.upgrade(allowing, "allowed", "page", Map.of("Origin", "https://tutor.example:8443"))
                            .status())
                    .as("an upgrade from the allowed origin")
                    .isEqualTo(101);
            assertThat(RawHttp.upgrade(allowing, "allowed", "spy", Map.of("Origin", ATTACKER))
                            .status())
                    .as("an upgrade from another origin")
                    .isEqualTo(403);
        }

        @Test
        @DisplayName("absent (the Java peer, scripts) changes nothing: joins over both transports work")
        void noOrigin() throws Exception {
            try (TestClient a = TestClient.join("websocket", relay, "no-origin", "a");
                    TestClient b = TestClient.join("polling", relay, "no-origin", "b")) {
                assertThat(a.next().path("type").asText())
                        .as("the WebSocket peer without Origin is welcomed")
                        .isEqualTo("welcome");
                assertThat(b.next().path("type").asText())
                        .as("the polling peer without Origin is welcomed")
                        .isEqualTo("welcome");
            }
        }
    }

    @Nested
    @DisplayName("a Host header")
    class Hosts {
        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"/health", "/api/rooms", "/config", "/call.html"})
        @DisplayName("that is not one of the relay's names is refused 421 (DNS rebinding)")
        void foreignHost(String path) throws Exception {
            RawHttp.Response response =
                    RawHttp.send(relay, "GET", path, Map.of("Host", "attacker.example:" + relay.port()));
            assertThat(response.status())
                    .as("GET %s with Host: attacker.example", path)
                    .isEqualTo(421);
            assertThat(response.code()).as("the refusal's code").isEqualTo("forbidden");
        }

        @Test
        @DisplayName("that is not one of the relay's names is refused on a WebSocket upgrade and a polling join too")
        void foreignHostJoin() throws Exception {
            assertThat(RawHttp.upgrade(relay, "rebind", "spy", Map.of("Host", "attacker.example"))
                            .status())
                    .as("upgrade")
                    .isEqualTo(421);
            assertThat(RawHttp.send(relay, "POST", "/rooms/rebind/peers/spy", Map.of("Host", "attacker.example"))
                            .status())
                    .as("join")
                    .isEqualTo(421);
        }

        @Test
        @DisplayName("localhost and 127.0.0.1 are a loopback relay's own names; --allow-host adds one")
        void ownNames() throws Exception {
            assertThat(RawHttp.send(relay, "GET", "/health", Map.of("Host", "localhost:" + relay.port()))
                            .status())
                    .as("Host: localhost")
                    .isEqualTo(200);
            assertThat(RawHttp.send(relay, "GET", "/health", Map.of()).status())
                    .as("Host: 127.0.0.1")
                    .isEqualTo(200);
            assertThat(RawHttp.send(allowing, "GET", "/health", Map.of("Host", "relay.school.example"))
                            .status())
                    .as("an --allow-host name")
                    .isEqualTo(200);
        }
    }

    @Nested
    @DisplayName("the names a relay answers to, worked out from addresses given to it")
    class Names {
        private final List<InetAddress> interfaces =
                List.of(CertificateNames.literal("192.0.2.10"), CertificateNames.literal("2001:db8::5"));

        @Test
        @DisplayName("bound to 0.0.0.0: every interface address, the loopback ones, localhost and the host name, with "
                + "any port")
        void wildcard() {
            RequestGuard guard = new RequestGuard("0.0.0.0", interfaces, "Tutor-Laptop", Access.defaults());
            for (String host : List.of(
                    "192.0.2.10:8787",
                    "192.0.2.10",
                    "[2001:db8::5]:8787",
                    "tutor-laptop:8787",
                    "tutor-laptop.",
                    "localhost:8787",
                    "127.0.0.1:8787",
                    "[::1]:8787")) {
                assertThat(guard.hostAllowed(host))
                        .as("Host: %s for a relay on 0.0.0.0 with those interfaces", host)
                        .isTrue();
            }
            for (String host : List.of(
                    "192.0.2.11:8787", "attacker.example", "tutor-laptop.attacker.example", "", "[2001:db8::6]")) {
                assertThat(guard.hostAllowed(host))
                        .as("Host: %s for a relay on 0.0.0.0", host)
                        .isFalse();
            }
        }

        @Test
        @DisplayName("bound to one address: that address only (and localhost for a loopback one), plus --allow-host")
        void specific() {
            RequestGuard lan = new RequestGuard(
                    "192.0.2.10",
                    interfaces,
                    "tutor-laptop",
                    Access.defaults().withAllowHosts(List.of("relay.school.example")));
            assertThat(lan.hostAllowed("192.0.2.10:8787")).as("its own address").isTrue();
            assertThat(lan.hostAllowed("relay.school.example:8787"))
                    .as("an --allow-host name")
                    .isTrue();
            assertThat(lan.hostAllowed("localhost:8787"))
                    .as("localhost, for a relay not on loopback")
                    .isFalse();
            assertThat(lan.hostAllowed("tutor-laptop"))
                    .as("the host name, for a relay bound to one address")
                    .isFalse();
            RequestGuard loopback = new RequestGuard("127.0.0.1", interfaces, "tutor-laptop", Access.defaults());
            assertThat(loopback.hostAllowed("localhost"))
                    .as("localhost for a relay on 127.0.0.1")
                    .isTrue();
            assertThat(loopback.hostAllowed("192.0.2.10"))
                    .as("an interface address for a relay on 127.0.0.1")
                    .isFalse();
        }

        @Test
        @DisplayName(
                "an origin is the request's own scheme://host:port, default ports ignored, or one of --allow-origin")
        void origins() {
            RequestGuard guard = new RequestGuard(
                    "0.0.0.0",
                    interfaces,
                    null,
                    Access.defaults().withAllowOrigins(List.of("https://tutor.example:8443/")));
            assertThat(guard.originAllowed("https", "192.0.2.10:8787", "https://192.0.2.10:8787"))
                    .as("its own origin")
                    .isTrue();
            assertThat(guard.originAllowed("https", "192.0.2.10", "https://192.0.2.10:443"))
                    .as("the default port, written or not")
                    .isTrue();
            assertThat(guard.originAllowed("http", "192.0.2.10:8787", "https://192.0.2.10:8787"))
                    .as("another scheme")
                    .isFalse();
            assertThat(guard.originAllowed("https", "192.0.2.10:8787", "https://192.0.2.10:8788"))
                    .as("another port")
                    .isFalse();
            assertThat(guard.originAllowed("https", "192.0.2.10:8787", "https://tutor.example:8443"))
                    .as("an --allow-origin entry")
                    .isTrue();
        }
    }
}
