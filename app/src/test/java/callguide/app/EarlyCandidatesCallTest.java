package callguide.app;

import static callguide.testkit.TimelineAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import callguide.call.CallPeer;
import callguide.call.CallReport;
import callguide.call.Role;
import callguide.call.Trickle;
import callguide.kit.timeline.CallTimeline;
import callguide.kit.timeline.EventKind;
import callguide.relay.Faults;
import callguide.testkit.RelayExtension;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What {@code ./workshop run 05 --faults early-candidates} shows a learner, held to a real call:
 * with step05's candidate queue the call connects; with candidates applied as they come, it cannot.
 */
@DisplayName("a call through a relay that delivers every candidate before its offer or answer (early-candidates)")
class EarlyCandidatesCallTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    static final RelayExtension RELAY = RelayExtension.withStun(c -> c.withFaults(Faults.parse("early-candidates")));

    private record Call(CallPeer caller, CallPeer callee, CallReport callerReport, CallReport calleeReport)
            implements AutoCloseable {
        static Call run(String room, Trickle trickle, Duration timeout) throws Exception {
            CallPeer callee =
                    new CallPeer(CallPeer.Options.of(Role.CALLEE, RELAY.uri(), room, "callee", RELAY.profile(), trickle)
                            .withTimeout(timeout));
            CallPeer caller =
                    new CallPeer(CallPeer.Options.of(Role.CALLER, RELAY.uri(), room, "caller", RELAY.profile(), trickle)
                            .withTimeout(timeout));
            CompletableFuture<CallReport> calleeReport = callee.start();
            CallReport callerReport = caller.start().get(timeout.toSeconds() + 5, TimeUnit.SECONDS);
            return new Call(caller, callee, callerReport, calleeReport.get(timeout.toSeconds() + 5, TimeUnit.SECONDS));
        }

        @Override
        public void close() {
            caller.close();
            callee.close();
        }
    }

    @Test
    @Timeout(60)
    @DisplayName("with step05's candidate queue connects: the callee holds every candidate the caller sent until the"
            + " offer is set, then applies them")
    void withTheQueue() throws Exception {
        try (Call call = Call.run("early-queue", FiveSteps.TRICKLE, WAIT.multipliedBy(2))) {
            CallTimeline callee = call.callee().timeline();
            assertThat(call.callerReport().failure())
                    .as("why the caller did not connect; callee's timeline:%n%s", callee)
                    .isNull();
            assertThat(call.calleeReport().failure())
                    .as("why the callee did not connect; its timeline:%n%s", callee)
                    .isNull();
            long sent = call.caller().timeline().count(EventKind.CANDIDATE_SENT);
            assertThat(sent).as("candidates the caller sent").isPositive();
            assertThat(callee.count(EventKind.CANDIDATE_QUEUED))
                    .as("candidates the callee held: every one came before the offer")
                    .isEqualTo(sent);
            assertThat(callee)
                    .hasInOrder(
                            EventKind.CANDIDATE_QUEUED,
                            callee.values(EventKind.CANDIDATE_QUEUED).get(0),
                            EventKind.SIGNALING_STATE,
                            "HAVE_REMOTE_OFFER")
                    .hasInOrder(
                            EventKind.SIGNALING_STATE,
                            "HAVE_REMOTE_OFFER",
                            EventKind.CANDIDATE_APPLIED,
                            callee.values(EventKind.CANDIDATE_APPLIED).get(0))
                    .hasInOrder(
                            EventKind.CANDIDATE_APPLIED,
                            callee.values(EventKind.CANDIDATE_APPLIED).get(0),
                            EventKind.CONNECTION_STATE,
                            "CONNECTED");
        }
    }

    @Test
    @Timeout(60)
    @DisplayName("with candidates applied as they come never connects: every one is added before the remote"
            + " description, and dropped")
    void withoutTheQueue() throws Exception {
        try (Call call = Call.run("early-no-queue", FiveSteps.WITHOUT_QUEUE, WAIT)) {
            CallTimeline callee = call.callee().timeline();
            assertThat(call.calleeReport().connected())
                    .as("the callee connected; its timeline:%n%s", callee)
                    .isFalse();
            assertThat(call.callerReport().connected())
                    .as("the caller connected")
                    .isFalse();
            assertThat(callee.count(EventKind.CANDIDATE_APPLIED))
                    .as("candidates the callee applied")
                    .isEqualTo(call.caller().timeline().count(EventKind.CANDIDATE_SENT))
                    .isPositive();
            assertThat(callee)
                    .hasInOrder(
                            EventKind.CANDIDATE_APPLIED,
                            callee.values(EventKind.CANDIDATE_APPLIED).get(0),
                            EventKind.SIGNALING_STATE,
                            "HAVE_REMOTE_OFFER");
            assertThat(callee.values(EventKind.CONNECTION_STATE))
                    .as("the callee's connection states")
                    .doesNotContain("CONNECTED");
        }
    }
}
