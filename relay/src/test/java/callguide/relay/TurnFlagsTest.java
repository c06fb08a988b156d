package callguide.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("The relay's TURN flags")
class TurnFlagsTest {

    @Nested
    @DisplayName("when they are right")
    class Accepted {

        @Test
        @DisplayName("no TURN flag means no TURN server")
        void none() {
            assertThat(RelayMain.parse().turn())
                    .as("the TURN settings without any TURN flag")
                    .isEqualTo(TurnSettings.off());
        }

        @Test
        @DisplayName("--turn runs coturn on 3479 with credentials valid 12 h, asking for every transport")
        void managedDefaults() {
            TurnSettings turn = RelayMain.parse("--turn").turn();
            assertThat(turn.mode()).as("the mode of --turn").isEqualTo(TurnSettings.Mode.MANAGED);
            assertThat(turn.port())
                    .as("the default TURN port, next to STUN's 3478")
                    .isEqualTo(3479);
            assertThat(turn.ttl()).as("the default credential lifetime").isEqualTo(Duration.ofHours(12));
            assertThat(turn.relayOnly()).as("relay only without --relay-only").isFalse();
        }

        @Test
        @DisplayName("--turn-port, --turn-ttl, --turn-relay-ports and --relay-only are taken in any order")
        void managedSettings() {
            TurnSettings turn = RelayMain.parse(
                            "--relay-only",
                            "--turn-ttl",
                            "600",
                            "--turn",
                            "--turn-port=3590",
                            "--turn-relay-ports",
                            "50000-50100")
                    .turn();
            assertThat(turn)
                    .as("the TURN settings parsed")
                    .extracting(
                            TurnSettings::mode,
                            TurnSettings::port,
                            TurnSettings::ttl,
                            TurnSettings::relayOnly,
                            TurnSettings::minRelayPort,
                            TurnSettings::maxRelayPort)
                    .containsExactly(TurnSettings.Mode.MANAGED, 3590, Duration.ofMinutes(10), true, 50000, 50100);
        }

        @Test
        @DisplayName("--turn-url with --turn-secret names an external coturn, URLs kept as given")
        void external() {
            TurnSettings turn = RelayMain.parse(
                            "--turn-url",
                            "turn:turn.example.org:3478?transport=udp,turn:turn.example.org:443?transport=tcp",
                            "--turn-secret",
                            "s3cret")
                    .turn();
            assertThat(turn.mode()).as("the mode of --turn-url").isEqualTo(TurnSettings.Mode.EXTERNAL);
            assertThat(turn.urls())
                    .as("the external URLs")
                    .containsExactly(
                            "turn:turn.example.org:3478?transport=udp", "turn:turn.example.org:443?transport=tcp");
            assertThat(turn.toString())
                    .as("the settings as printed do not show the secret")
                    .doesNotContain("s3cret");
        }
    }

    @Nested
    @DisplayName("when they are wrong, parsing stops with a message that says why")
    class Refused {

        @Test
        @DisplayName("a --turn-url that is no TURN URL")
        void badUrl() {
            for (String url : List.of(
                    "foo:bar",
                    "stun:turn.example.org:3478",
                    "turn:",
                    "turn:host:99999",
                    "turn:host?transport=sctp",
                    "http://x")) {
                assertThatThrownBy(() -> RelayMain.parse("--turn-url", url, "--turn-secret", "s"))
                        .as("--turn-url %s", url)
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("--turn-url");
            }
        }

        @Test
        @DisplayName("an empty --turn-secret, or none at all")
        void secret() {
            assertThatThrownBy(() -> RelayMain.parse("--turn-url", "turn:127.0.0.1:3478", "--turn-secret", ""))
                    .as("an empty secret")
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("--turn-secret must not be empty");
            assertThatThrownBy(() -> RelayMain.parse("--turn-url=turn:127.0.0.1:3478", "--turn-secret="))
                    .as("an empty inline secret")
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("--turn-secret must not be empty");
            assertThatThrownBy(() -> RelayMain.parse("--turn-url", "turn:127.0.0.1:3478"))
                    .as("a URL without a secret")
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("needs --turn-secret");
            assertThatThrownBy(() -> RelayMain.parse("--turn-secret", "s"))
                    .as("a secret without a URL")
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("needs --turn-url");
        }

        @Test
        @DisplayName("--turn together with --turn-url, --relay-only without TURN, and bad numbers")
        void conflicts() {
            assertThatThrownBy(
                            () -> RelayMain.parse("--turn", "--turn-url", "turn:127.0.0.1:3478", "--turn-secret", "s"))
                    .as("--turn and --turn-url")
                    .hasMessageContaining("give one of them");
            assertThatThrownBy(() -> RelayMain.parse("--relay-only"))
                    .as("--relay-only alone")
                    .hasMessageContaining("relay-only needs a TURN server");
            assertThatThrownBy(() -> RelayMain.parse("--turn", "--turn-ttl", "0"))
                    .as("a zero lifetime")
                    .hasMessageContaining("--turn-ttl takes a number of seconds");
            assertThatThrownBy(() -> RelayMain.parse("--turn", "--turn-port", "70000"))
                    .as("a port beyond 65535")
                    .hasMessageContaining("TURN port");
            assertThatThrownBy(() -> RelayMain.parse("--turn", "--turn-relay-ports", "60000-50000"))
                    .as("an upside-down relay range")
                    .hasMessageContaining("--turn-relay-ports takes a range");
            assertThatThrownBy(() -> RelayMain.parse("--turn-url"))
                    .as("--turn-url without its value")
                    .hasMessageContaining("--turn-url needs a value");
            assertThatThrownBy(() -> RelayMain.parse("--turn=yes"))
                    .as("a value on a switch")
                    .hasMessageContaining("--turn takes no value");
        }

        @Test
        @DisplayName("--help lists every TURN flag")
        void usage() {
            assertThat(RelayMain.usage())
                    .as("the usage text")
                    .contains(
                            "--turn ",
                            "--turn-port P",
                            "--turn-url URL",
                            "--turn-secret S",
                            "--turn-ttl S",
                            "--relay-only",
                            "--turn-relay-ports",
                            "coturn");
        }
    }
}
