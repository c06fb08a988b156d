package callguide.relay;

import static callguide.relay.TurnTesting.config;
import static callguide.relay.TurnTesting.entry;
import static callguide.relay.TurnTesting.managedOnFreePort;
import static callguide.relay.TurnTesting.relayWithCoturn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import callguide.kit.ice.IceServer;
import callguide.kit.ice.IceServers;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The relay with a real coturn on 127.0.0.1 (no mocks), and what {@code GET /config} says about it. */
@DisplayName("TURN at the relay")
class TurnTest {

    @Nested
    @DisplayName("when the relay runs its own coturn (--turn)")
    class Managed {

        @Test
        @DisplayName("/config names STUN, TURN over UDP and TCP with REST credentials expiring a TTL ahead, signed "
                + "with coturn's secret")
        void configNamesTurn() throws Exception {
            try (Relay relay = relayWithCoturn(managedOnFreePort())) {
                Coturn coturn = relay.coturn().orElseThrow();
                JsonNode config = config(relay);
                Instant now = Instant.now();
                assertThat(entry(config, "stun:").path("urls"))
                        .as("the STUN entry of %s", config)
                        .extracting(JsonNode::asText)
                        .containsExactly("stun:127.0.0.1:" + relay.stunPort());
                JsonNode turn = entry(config, "turn:");
                assertThat(turn.path("urls"))
                        .as("the TURN entry's URLs in %s", config)
                        .extracting(JsonNode::asText)
                        .containsExactly(
                                "turn:127.0.0.1:" + coturn.port() + "?transport=udp",
                                "turn:127.0.0.1:" + coturn.port() + "?transport=tcp");
                String username = turn.path("username").asText();
                assertThat(username)
                        .as("a TURN REST username is <unix expiry seconds>:<tag>")
                        .matches("\\d+:.+");
                long expiry = Long.parseLong(username.substring(0, username.indexOf(':')));
                assertThat(expiry)
                        .as("the username's expiry, about 12 h (the default TTL) from now")
                        .isCloseTo(now.plus(Duration.ofHours(12)).getEpochSecond(), within(5L));
                assertThat(turn.path("credential").asText())
                        .as("the credential: base64(HMAC-SHA1(coturn's secret, username))")
                        .isEqualTo(hmacSha1(coturn.secret(), username));
                assertThat(config.path("iceTransportPolicy").asText())
                        .as("the ICE transport policy without --relay-only")
                        .isEqualTo("all");
                assertThat(config.path("loopback").asBoolean())
                        .as("loopback, the relay being bound to 127.0.0.1")
                        .isTrue();
                for (IceServer server : iceServers(config)) {
                    assertThat(IceServers.toRtc(server))
                            .as("the entry %s passes IceServers.toRtc", server)
                            .isNotNull();
                }
                assertThat(entry(config(relay), "turn:").path("username").asText())
                        .as("the next request's username: fresh credentials")
                        .isNotEqualTo(username);
            }
        }

        @Test
        @DisplayName("a --turn-ttl gives credentials that expire that much later")
        void ttl() throws Exception {
            try (Relay relay = relayWithCoturn(managedOnFreePort().withTtl(Duration.ofMinutes(10)))) {
                String username = entry(config(relay), "turn:").path("username").asText();
                assertThat(TurnCredentials.expiry(username).getEpochSecond())
                        .as("the expiry of %s with a 10 min TTL", username)
                        .isCloseTo(Instant.now().plusSeconds(600).getEpochSecond(), within(5L));
            }
        }

        @Test
        @DisplayName("--relay-only makes /config ask for iceTransportPolicy relay")
        void relayOnly() throws Exception {
            try (Relay relay = relayWithCoturn(managedOnFreePort().withRelayOnly(true))) {
                JsonNode config = config(relay);
                assertThat(config.path("iceTransportPolicy").asText())
                        .as("the policy in %s", config)
                        .isEqualTo("relay");
                assertThat(entry(config, "turn:").isMissingNode())
                        .as("a TURN entry to relay through, in %s", config)
                        .isFalse();
            }
        }

        @Test
        @DisplayName("coturn answers a TURN Allocate on UDP and TCP, and its secret is not on its command line")
        void answers() {
            try (Relay relay = relayWithCoturn(managedOnFreePort())) {
                Coturn coturn = relay.coturn().orElseThrow();
                InetSocketAddress at = new InetSocketAddress(InetAddress.getLoopbackAddress(), coturn.port());
                assertThat(TurnProbe.udp(at, Coturn.REALM, Duration.ofSeconds(2)))
                        .as("coturn's challenge on udp %s", at)
                        .isTrue();
                assertThat(TurnProbe.tcp(at, Coturn.REALM, Duration.ofSeconds(2)))
                        .as("coturn's challenge on tcp %s", at)
                        .isTrue();
                Optional<String> commandLine =
                        ProcessHandle.of(coturn.pid()).flatMap(p -> p.info().commandLine());
                assertThat(commandLine)
                        .as("turnserver's command line, as ps shows it")
                        .isPresent();
                assertThat(commandLine.get())
                        .as("turnserver's command line")
                        .doesNotContain(coturn.secret())
                        .contains(
                                "--use-auth-secret",
                                "--listening-ip 127.0.0.1",
                                "--relay-ip 127.0.0.1",
                                "--allow-loopback-peers");
            }
        }

        @Test
        @DisplayName("announce says TURN runs, where, and how long credentials last")
        void announce() {
            try (Relay relay = relayWithCoturn(managedOnFreePort())) {
                String printed = announced(relay);
                assertThat(printed)
                        .as("what the relay announces")
                        .contains("TURN on udp+tcp 127.0.0.1:"
                                + relay.coturn().orElseThrow().port() + " (coturn, REST credentials, valid 12 h");
            }
        }

        @Test
        @DisplayName("closing the relay stops its turnserver process")
        void closeStopsCoturn() {
            Relay relay = relayWithCoturn(managedOnFreePort());
            long pid = relay.coturn().orElseThrow().pid();
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive))
                    .as("turnserver pid %d while the relay runs", pid)
                    .contains(true);
            relay.close();
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                    .as("turnserver pid %d is still alive after the relay closed", pid)
                    .isFalse();
        }

        @Test
        @DisplayName("with coturn's port taken the relay still serves /health and /config, without TURN, and says why")
        void portTaken() throws Exception {
            TurnTesting.requireCoturn();
            try (DatagramSocket holder =
                    new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
                int taken = holder.getLocalPort();
                try (Relay relay = Relay.start(RelayConfig.defaults()
                        .withPort(0)
                        .withStunPort(0)
                        .withTurn(TurnSettings.managed(taken).withRelayOnly(true)))) {
                    assertThat(relay.turnProblem())
                            .as("why there is no TURN server")
                            .hasValueSatisfying(why -> assertThat(why)
                                    .as("the reason")
                                    .contains("udp", "127.0.0.1:" + taken, "taken", "--turn-port"));
                    assertThat(relay.coturn()).as("the relay's coturn").isEmpty();
                    assertThat(TestClient.health(relay).path("status").asText())
                            .as("/health")
                            .isEqualTo("ok");
                    JsonNode config = config(relay);
                    assertThat(entry(config, "turn:").isMissingNode())
                            .as("a TURN entry in %s", config)
                            .isTrue();
                    assertThat(entry(config, "stun:").isMissingNode())
                            .as("the STUN entry in %s", config)
                            .isFalse();
                    assertThat(config.path("iceTransportPolicy").asText())
                            .as(
                                    "the policy in %s: relay only with nothing to relay through would never connect",
                                    config)
                            .isEqualTo("all");
                    assertThat(announced(relay))
                            .as("what the relay announces")
                            .contains("TURN off: coturn did not start", "taken");
                }
            }
        }
    }

    @Nested
    @DisplayName("when the relay names an external coturn (--turn-url, --turn-secret)")
    class External {

        @Test
        @DisplayName("/config keeps each URL's own host and signs credentials with the given secret")
        void external() throws Exception {
            List<String> urls =
                    List.of("turn:turn.example.org:3478?transport=udp", "turn:[2001:db8::1]:443?transport=tcp");
            try (Relay relay = Relay.start(RelayConfig.defaults()
                    .withPort(0)
                    .withStunPort(0)
                    .withTurn(TurnSettings.external(urls, "classroom-secret")))) {
                JsonNode config = config(relay);
                JsonNode turn = entry(config, "turn:");
                assertThat(turn.path("urls"))
                        .as("the TURN URLs in %s", config)
                        .extracting(JsonNode::asText)
                        .containsExactlyElementsOf(urls);
                String username = turn.path("username").asText();
                assertThat(turn.path("credential").asText())
                        .as("the credential for %s", username)
                        .isEqualTo(hmacSha1("classroom-secret", username));
                assertThat(relay.coturn()).as("a coturn of the relay's own").isEmpty();
                assertThat(announced(relay))
                        .as("what the relay announces")
                        .contains("TURN at turn:turn.example.org:3478?transport=udp");
            }
        }
    }

    @Nested
    @DisplayName("the host /config names")
    class Hosts {

        @Test
        @DisplayName("is the configured one, or the client's Host header when bound to a wildcard, IPv6 bracketed")
        void urlHost() {
            assertThat(Pages.urlHost("127.0.0.1", "localhost:8787"))
                    .as("bound to 127.0.0.1")
                    .isEqualTo("127.0.0.1");
            assertThat(Pages.urlHost("0.0.0.0", "192.0.2.7:8787"))
                    .as("0.0.0.0, Host 192.0.2.7:8787")
                    .isEqualTo("192.0.2.7");
            assertThat(Pages.urlHost("0.0.0.0", "relay.local"))
                    .as("0.0.0.0, Host without a port")
                    .isEqualTo("relay.local");
            assertThat(Pages.urlHost("::", "[2001:db8::2]:8787"))
                    .as(":: with an IPv6 Host")
                    .isEqualTo("[2001:db8::2]");
            assertThat(Pages.urlHost("::1", null)).as("bound to ::1").isEqualTo("[::1]");
            assertThat(IceServers.toRtc(
                            IceServer.turn("turn:" + Pages.urlHost("::1", null) + ":3479?transport=udp", "1:a", "b")))
                    .as("a TURN URL with a bracketed IPv6 host passes IceServers.toRtc")
                    .isNotNull();
        }
    }

    static String announced(Relay relay) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        RelayMain.announce(relay, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    static List<IceServer> iceServers(JsonNode config) {
        List<IceServer> servers = new ArrayList<>();
        for (JsonNode server : config.path("iceServers")) {
            List<String> urls = new ArrayList<>();
            server.path("urls").forEach(url -> urls.add(url.asText()));
            servers.add(new IceServer(
                    urls,
                    server.path("username").asText(null),
                    server.path("credential").asText(null)));
        }
        return servers;
    }

    /** Computed here, not with the relay's own code: the scheme coturn checks. */
    static String hmacSha1(String secret, String username) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        return Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
    }
}
