package callguide.kit.ice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onvoid.webrtc.PortAllocatorConfig;
import dev.onvoid.webrtc.RTCConfiguration;
import dev.onvoid.webrtc.RTCIceTransportPolicy;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The relay's {@code GET /config}, read as every client reads it, and the profile it asks for. */
@DisplayName("the ICE configuration from /config")
class IceConfigTest {

    @Nested
    @DisplayName("when the relay listens on loopback")
    class Loopback {
        private final IceConfig config =
                IceConfig.parse("{\"iceServers\": [{\"urls\": [\"stun:127.0.0.1:3478\"]}], \"loopback\": true}");

        @Test
        @DisplayName("asks for the loopback profile with the relay's STUN server")
        void loopbackProfile() {
            IceProfile profile = config.profile();

            assertThat(profile.loopbackOnly()).as("loopbackOnly").isTrue();
            assertThat(profile.relayOnly())
                    .as("relayOnly without an iceTransportPolicy")
                    .isFalse();
            assertThat(profile.iceServers()).as("servers").containsExactly(IceServer.stun("stun:127.0.0.1:3478"));
        }
    }

    @Nested
    @DisplayName("when the relay listens on a classroom network")
    class Classroom {
        private final IceConfig config = IceConfig.parse("""
                {"iceServers": [{"urls": ["stun:10.1.2.3:3478"]},
                                {"urls": ["turn:10.1.2.3:3479?transport=udp", "turn:10.1.2.3:3479?transport=tcp"],
                                 "username": "1764000000:callguide", "credential": "c2VjcmV0"}],
                 "iceTransportPolicy": "relay", "loopback": false}""");

        @Test
        @DisplayName("asks for an open profile: every candidate gathered and signalled, as a browser does")
        void openProfile() {
            IceProfile profile = config.profile();

            assertThat(profile.loopbackOnly()).as("loopbackOnly").isFalse();
            assertThat(profile.iceServers())
                    .as("servers, TURN with its credentials")
                    .containsExactly(
                            IceServer.stun("stun:10.1.2.3:3478"),
                            new IceServer(
                                    List.of("turn:10.1.2.3:3479?transport=udp", "turn:10.1.2.3:3479?transport=tcp"),
                                    "1764000000:callguide",
                                    "c2VjcmV0"));
        }

        @Test
        @DisplayName("turns iceTransportPolicy relay into webrtc-java's RELAY policy, and leaves enumeration on")
        void relayPolicy() {
            RTCConfiguration rtc = new RTCConfiguration();
            config.profile().applyTo(rtc);

            assertThat(rtc.iceTransportPolicy).as("iceTransportPolicy").isEqualTo(RTCIceTransportPolicy.RELAY);
            assertThat(rtc.portAllocatorConfig == null
                            || !rtc.portAllocatorConfig.isFlagEnabled(
                                    PortAllocatorConfig.PORTALLOCATOR_DISABLE_ADAPTER_ENUMERATION))
                    .as("adapter enumeration stays on: host candidates are the point on a LAN")
                    .isTrue();
        }
    }

    @Test
    @DisplayName("takes a single URL as a string, as the browser does, and defaults to policy all and no loopback")
    void browserShorthand() {
        IceConfig config = IceConfig.parse("{\"iceServers\": [{\"urls\": \"stun:10.1.2.3\"}]}");

        assertThat(config.iceServers()).as("servers").containsExactly(IceServer.stun("stun:10.1.2.3"));
        assertThat(config.iceTransportPolicy()).as("policy").isEqualTo("all");
        assertThat(config.loopback()).as("loopback").isFalse();
    }

    @ParameterizedTest(name = "refuses {0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "not json                                                         | not JSON",
                "[1, 2]                                                           | not a JSON object",
                "{\"iceServers\": 7}                                              | iceServers is not a list",
                "{\"iceServers\": [{\"urls\": [\"foo:bar\"]}]}                    | 'foo:bar' is not an ICE server URL",
                "{\"iceServers\": [{\"urls\": [\"turn:10.0.0.1:3478\"]}]}         | needs a username and a credential",
                "{\"iceServers\": [{\"username\": \"x\"}]}                        | has no urls",
                "{\"iceServers\": [], \"iceTransportPolicy\": \"nohost\"}         | expected \"all\" or \"relay\"",
                "{\"iceServers\": [{\"urls\": [\"stun:a\"]}], \"iceTransportPolicy\": \"relay\"} | no TURN server",
                "{\"iceServers\": [], \"loopback\": \"yes\"}                      | loopback is not true or false"
            })
    @DisplayName(
            "refuses, saying what is wrong, a configuration native code could not take or nothing could connect with")
    void refuses(String json, String message) {
        assertThatThrownBy(() -> IceConfig.parse(json.trim()))
                .as("parsing %s", json)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message.trim());
    }
}
