package callguide.kit.ice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onvoid.webrtc.RTCIceServer;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Pure Java: nothing here reaches native code, which is the point. Every entry refused below
 * would kill the JVM (SIGSEGV) if it reached {@code createPeerConnection}.
 */
@DisplayName("ICE server validation")
class IceServersTest {

    @ParameterizedTest(name = "accepts {0}")
    @ValueSource(
            strings = {
                "stun:127.0.0.1:3478", "stun:127.0.0.1", "stun:stun.example.org:19302", "stuns:stun.example.org:5349",
                "stun:[::1]:3478", "stun:localhost", "stun:127.0.0.1:65535", "stun:127.0.0.1:1"
            })
    @DisplayName("accepts well-formed stun: and stuns: URLs without credentials")
    void acceptsStun(String url) {
        RTCIceServer rtc = IceServers.toRtc(IceServer.stun(url));

        assertThat(rtc.urls).as("the URLs handed to webrtc-java for %s", url).containsExactly(url);
        assertThat(rtc.username).as("no username for a STUN server").isNull();
        assertThat(rtc.password).as("no password for a STUN server").isNull();
    }

    @ParameterizedTest(name = "accepts {0}")
    @ValueSource(
            strings = {
                "turn:127.0.0.1:3478", "turn:127.0.0.1", "turn:127.0.0.1:3478?transport=udp",
                "turn:turn.example.org:3478?transport=tcp", "turns:turn.example.org:5349", "turn:[::1]:3478"
            })
    @DisplayName("accepts well-formed turn: and turns: URLs with a username and a credential")
    void acceptsTurn(String url) {
        RTCIceServer rtc = IceServers.toRtc(IceServer.turn(url, "alice", "secret"));

        assertThat(rtc.urls).as("the URLs handed to webrtc-java for %s", url).containsExactly(url);
        assertThat(rtc.username)
                .as("the username becomes RTCIceServer.username")
                .isEqualTo("alice");
        assertThat(rtc.password)
                .as("the credential becomes RTCIceServer.password")
                .isEqualTo("secret");
    }

    @Test
    @DisplayName("accepts an entry with several URLs, and a list of entries, keeping their order")
    void acceptsLists() {
        IceServer both = new IceServer(
                List.of("turn:127.0.0.1:3478?transport=udp", "turn:127.0.0.1:3478?transport=tcp"), "u", "p");
        List<RTCIceServer> rtc = IceServers.toRtc(List.of(IceServer.stun("stun:127.0.0.1:3478"), both));

        assertThat(rtc).as("one RTCIceServer per entry").hasSize(2);
        assertThat(rtc.get(0).urls).as("the first entry's URLs").containsExactly("stun:127.0.0.1:3478");
        assertThat(rtc.get(1).urls)
                .as("the second entry's URLs, in order")
                .containsExactly("turn:127.0.0.1:3478?transport=udp", "turn:127.0.0.1:3478?transport=tcp");
        assertThat(IceServers.toRtc(List.of()))
                .as("no ICE servers at all is allowed")
                .isEmpty();
    }

    @Test
    @DisplayName("hands native code the URL trimmed: with a space around it libwebrtc crashes the JVM")
    void trimsUrls() {
        RTCIceServer stun = IceServers.toRtc(IceServer.stun("  stun:127.0.0.1:3478 "));
        RTCIceServer turn = IceServers.toRtc(IceServer.turn("\tturn:127.0.0.1:3478\n", "u", "p"));

        assertThat(stun.urls)
                .as("the STUN URL as handed to webrtc-java, without surrounding spaces")
                .containsExactly("stun:127.0.0.1:3478");
        assertThat(turn.urls)
                .as("the TURN URL as handed to webrtc-java, without surrounding whitespace")
                .containsExactly("turn:127.0.0.1:3478");
    }

    @Test
    @DisplayName("the loopback profile's STUN server passes validation")
    void loopbackProfilePasses() {
        IceProfile profile = IceProfile.loopback(3478);

        assertThat(IceServers.toRtc(profile.iceServers()))
                .as("the loopback profile's ICE servers")
                .singleElement()
                .satisfies(s -> assertThat(s.urls).as("its URL").containsExactly("stun:127.0.0.1:3478"));
        assertThat(profile.loopbackOnly())
                .as("the loopback profile signals only 127.0.0.1 candidates")
                .isTrue();
    }

    static Stream<Arguments> malformedUrls() {
        return Stream.of(
                Arguments.of("foo:bar", "not an ICE server URL"),
                Arguments.of("http://127.0.0.1:3478", "not an ICE server URL"),
                Arguments.of("stun://127.0.0.1:3478", "not an ICE server URL"),
                Arguments.of("127.0.0.1:3478", "not an ICE server URL"),
                Arguments.of("stun:", "not an ICE server URL"),
                Arguments.of("STUN:127.0.0.1", "not an ICE server URL"),
                Arguments.of("stun:127.0.0.1:", "not an ICE server URL"),
                Arguments.of("stun:127.0.0.1:abc", "not an ICE server URL"),
                Arguments.of("stun:127.0.0.1:123456", "not an ICE server URL"),
                Arguments.of("stun:exa mple.org", "not an ICE server URL"),
                Arguments.of("stun:-host", "not an ICE server URL"),
                Arguments.of("turn:127.0.0.1?transport=tls", "not an ICE server URL"),
                Arguments.of("stun:127.0.0.1:0", "port 0 is outside 1-65535"),
                Arguments.of("stun:127.0.0.1:65536", "port 65536 is outside 1-65535"),
                Arguments.of("stun:127.0.0.1:3478?transport=udp", "?transport= is for turn: URLs only"));
    }

    @ParameterizedTest(name = "refuses {0}")
    @MethodSource("malformedUrls")
    @DisplayName("refuses malformed URLs with an exception naming the URL and the reason")
    void refusesMalformed(String url, String reason) {
        assertThatThrownBy(() -> IceServers.toRtc(IceServer.stun(url)))
                .as("validating %s", url)
                .isInstanceOf(InvalidIceServerException.class)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + url + "'")
                .hasMessageContaining(reason);
    }

    static Stream<Arguments> turnWithoutCredentials() {
        return Stream.of(
                Arguments.of("turn:127.0.0.1:3478", null, null),
                Arguments.of("turn:127.0.0.1:3478", "alice", null),
                Arguments.of("turn:127.0.0.1:3478", null, "secret"),
                Arguments.of("turn:127.0.0.1:3478", "  ", "secret"),
                Arguments.of("turn:127.0.0.1:3478", "alice", ""),
                Arguments.of("turns:127.0.0.1:5349", null, null));
    }

    @ParameterizedTest(name = "refuses {0} with username {1} and credential {2}")
    @MethodSource("turnWithoutCredentials")
    @DisplayName("refuses a TURN URL without a username and a non-empty credential, naming the URL")
    void refusesTurnWithoutCredentials(String url, String username, String credential) {
        assertThatThrownBy(() -> IceServers.toRtc(IceServer.turn(url, username, credential)))
                .as("validating %s with username %s and credential %s", url, username, credential)
                .isInstanceOf(InvalidIceServerException.class)
                .hasMessageContaining("'" + url + "'")
                .hasMessageContaining("needs a username and a credential");
    }

    @Test
    @DisplayName("refuses a TURN URL without credentials even when it follows a good URL in the same entry")
    void refusesBadUrlAmongGoodOnes() {
        IceServer entry = new IceServer(List.of("stun:127.0.0.1:3478", "turn:127.0.0.1:3478"), null, null);

        assertThatThrownBy(() -> IceServers.toRtc(entry))
                .as("an entry with one bad URL of two")
                .isInstanceOf(InvalidIceServerException.class)
                .hasMessageContaining("'turn:127.0.0.1:3478'");
    }

    @Test
    @DisplayName("refuses null and empty entries, URLs and lists with a message saying what is missing")
    void refusesMissingParts() {
        assertThatThrownBy(() -> IceServers.toRtc((IceServer) null))
                .as("a null entry")
                .isInstanceOf(InvalidIceServerException.class)
                .hasMessageContaining("null");
        assertThatThrownBy(() -> IceServers.toRtc((List<IceServer>) null))
                .as("a null list")
                .isInstanceOf(InvalidIceServerException.class)
                .hasMessageContaining("list of ICE servers is null");
        assertThatThrownBy(() -> IceServers.toRtc(new IceServer(List.of(), null, null)))
                .as("an entry without URLs")
                .isInstanceOf(InvalidIceServerException.class)
                .hasMessageContaining("at least one URL");
        assertThatThrownBy(() -> IceServers.toRtc(new IceServer(null, null, null)))
                .as("an entry with null URLs")
                .isInstanceOf(InvalidIceServerException.class)
                .hasMessageContaining("at least one URL");
        assertThatThrownBy(() -> IceServers.toRtc(IceServer.stun("   ")))
                .as("a blank URL")
                .isInstanceOf(InvalidIceServerException.class)
                .hasMessageContaining("URL is empty");
        assertThatThrownBy(() -> IceServers.toRtc(new IceServer(Arrays.asList("stun:127.0.0.1", null), null, null)))
                .as("a null URL among good ones")
                .isInstanceOf(InvalidIceServerException.class)
                .hasMessageContaining("URL is empty");
        assertThatThrownBy(() -> IceServers.toRtc(Arrays.asList(IceServer.stun("stun:127.0.0.1"), null)))
                .as("a null entry in a list")
                .isInstanceOf(InvalidIceServerException.class)
                .hasMessageContaining("entry is null");
    }
}
