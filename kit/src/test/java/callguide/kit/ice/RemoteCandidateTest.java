package callguide.kit.ice;

import static org.assertj.core.api.Assertions.assertThat;

import callguide.kit.signal.CandidateMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Remote candidates, checked before libwebrtc sees them")
class RemoteCandidateTest {
    private static final IceProfile LOOPBACK = IceProfile.loopback(3478);

    private static CandidateMessage at(String address) {
        return new CandidateMessage(
                "candidate:1 1 udp 2122260223 " + address + " 50000 typ srflx raddr 0.0.0.0 rport 0", "0", 0, null);
    }

    @Test
    @DisplayName("the loopback profile accepts a remote candidate on 127.0.0.1")
    void loopbackAccepts() {
        assertThat(LOOPBACK.acceptsRemote(at("127.0.0.1")))
                .as("a candidate on 127.0.0.1")
                .isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "127.0.0.2",
                "192.168.1.23",
                "::1",
                "999.1.1.1",
                "attacker.example",
                "a1b2c3d4-0000-1111-2222-333344445555.local"
            })
    @DisplayName("the loopback profile refuses, saying why, a remote candidate anywhere else, host names and "
            + "impossible addresses included")
    void loopbackRefuses(String address) {
        assertThat(LOOPBACK.acceptsRemote(at(address)))
                .as("a candidate on %s in the loopback profile", address)
                .hasValueSatisfying(why -> assertThat(why)
                        .contains("127.0.0.1 only")
                        .contains(address.length() > 64 ? address.substring(0, 61) : address));
    }

    @Test
    @DisplayName("the loopback profile refuses a candidate with no address at all")
    void noAddress() {
        assertThat(LOOPBACK.acceptsRemote(new CandidateMessage("candidate:1", "0", 0, null)))
                .as("a candidate line with no address")
                .isPresent();
    }

    @Test
    @DisplayName("the open profile accepts every candidate, as a browser does (libwebrtc decides what to do with it)")
    void openAccepts() {
        IceProfile open = IceProfile.open(List.of());
        for (String address : List.of("127.0.0.2", "192.168.1.23", "host.local")) {
            assertThat(open.acceptsRemote(at(address)))
                    .as("a candidate on %s in the open profile", address)
                    .isEmpty();
        }
    }

    @Test
    @DisplayName("reads a candidate's address as text: the code that checks it never looks a name up")
    void noLookUp() throws Exception {
        for (String source : List.of(
                "src/main/java/callguide/kit/ice/IceProfile.java",
                "src/main/java/callguide/kit/signal/CandidateMessage.java")) {
            assertThat(Files.readString(Path.of(source)))
                    .as("%s, which reads remote candidates' addresses", source)
                    .doesNotContain("InetAddress")
                    .doesNotContain("getByName")
                    .doesNotContain("InetSocketAddress");
        }
    }
}
