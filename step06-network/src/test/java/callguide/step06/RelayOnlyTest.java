package callguide.step06;

import static callguide.testkit.TimelineAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import callguide.call.CallReport;
import callguide.call.Resilience;
import callguide.kit.ice.IceConfig;
import callguide.kit.ice.IceProfile;
import callguide.kit.timeline.EventKind;
import callguide.relay.TurnSettings;
import callguide.testkit.RelayExtension;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@Tag("task:1")
@DisplayName("step06 task 1: a restrictive network, relay only through the relay's coturn")
class RelayOnlyTest {
    /** A relay whose /config names its own coturn (a real one, on 127.0.0.1) and asks for nothing special. */
    @RegisterExtension
    static final RelayExtension RELAY = RelayExtension.withStun(c -> c.withTurn(TurnSettings.managed(0)));

    private static IceConfig config() {
        assertThat(RELAY.relay().turnProblem())
                .as("why the relay's coturn did not start (the TURN tests run a real coturn)")
                .isEmpty();
        return IceConfig.fetch(RELAY.uri(), Duration.ofSeconds(5));
    }

    @Test
    @DisplayName("a whole call from /config with relay candidates only: both ends of each side's selected pair are "
            + "relay ones, only relay candidates are sent, frames flow")
    void relayOnlyCall() throws Exception {
        IceConfig config = config();
        assertThat(config.relayOnly())
                .as("/config's own policy (relay only is this peer's choice)")
                .isFalse();
        IceProfile profile = RelayOnly.profile(config);

        try (TwoPeers call = TwoPeers.up(RELAY.uri(), profile, Resilience.PLAIN)) {
            for (CallReport report : List.of(call.callerReport, call.calleeReport)) {
                assertThat(report.selectedPair())
                        .as("%s: the selected pair", report.side())
                        .isNotNull();
                assertThat(report.selectedPair().get("local"))
                        .as("%s: the selected pair's local end", report.side())
                        .startsWith("relay ");
                assertThat(report.selectedPair().get("remote"))
                        .as("%s: the selected pair's remote end", report.side())
                        .startsWith("relay ");
                assertThat(report.videoFramesReceived())
                        .as("%s: video frames received through TURN", report.side())
                        .isPositive();
            }
            for (var side : List.of(call.caller.timeline(), call.callee.timeline())) {
                assertThat(side)
                        .values(EventKind.CANDIDATE_SENT)
                        .as("%s: the candidates it sent", side.side())
                        .allSatisfy(line -> assertThat(line).contains(" typ relay "));
            }
        }
    }

    @Test
    @DisplayName("keeps every server /config names (STUN alongside TURN, with TURN's credentials) and its loopback "
            + "setting, and asks for relay candidates only")
    void keepsEveryServer() {
        IceConfig config = config();

        IceProfile profile = RelayOnly.profile(config);

        assertThat(profile.iceServers()).as("the profile's ICE servers").isEqualTo(config.iceServers());
        assertThat(profile.loopbackOnly()).as("the profile's loopback setting").isEqualTo(config.loopback());
        assertThat(profile.relayOnly()).as("relay candidates only").isTrue();
    }

    @Test
    @DisplayName("a /config with STUN only is refused with an error that names TURN: relay only could never connect")
    void noTurnRefused() {
        IceConfig stunOnly =
                IceConfig.parse("{\"iceServers\":[{\"urls\":[\"stun:127.0.0.1:3478\"]}],\"loopback\":true}");

        assertThat(catchThrowable(() -> RelayOnly.profile(stunOnly)))
                .as("RelayOnly.profile with no TURN server")
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("TURN");
    }
}
