package callguide.step06;

import static callguide.testkit.TimelineAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import callguide.call.CallReport;
import callguide.kit.signal.CandidateMessage;
import callguide.kit.signal.Envelope;
import callguide.kit.signal.MessageTypes;
import callguide.kit.signal.SessionDescriptionMessage;
import callguide.kit.timeline.CallTimeline;
import callguide.kit.timeline.EventKind;
import callguide.relay.Faults;
import callguide.testkit.RelayExtension;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@Tag("task:4")
@DisplayName("step06 task 4: everything twice")
class MessageMemoryTest {
    /** A relay that delivers every message twice and shuffles candidates. */
    @RegisterExtension
    static final RelayExtension RELAY = RelayExtension.withStun(c -> c.withFaults(Faults.parse("duplicate,reorder")));

    private static final String CANDIDATE =
            "candidate:1 1 udp 1686052607 127.0.0.1 50000 typ srflx raddr 0.0.0.0 rport 50000 generation 0 ufrag ";

    private static Envelope offer(String ufrag) {
        return Envelope.of(
                MessageTypes.OFFER,
                new SessionDescriptionMessage("offer", "v=0\r\na=ice-ufrag:" + ufrag + "\r\na=ice-pwd:x\r\n"));
    }

    private static Envelope candidate(String ufrag, int port) {
        return Envelope.of(
                MessageTypes.CANDIDATE,
                new CandidateMessage(CANDIDATE.replace("50000 typ", port + " typ") + ufrag, "0", 0, null));
    }

    @Test
    @DisplayName("under --faults duplicate,reorder a whole call comes up: each repeat left alone, one offer and one "
            + "answer applied, frames both ways")
    void wholeCallUnderDuplicates() throws Exception {
        try (TwoPeers call = TwoPeers.up(RELAY.uri(), RELAY.profile(), TwoPeers.MEMORY)) {
            CallTimeline caller = call.caller.timeline();
            CallTimeline callee = call.callee.timeline();
            assertThat(caller).signalingStates().containsExactly("HAVE_LOCAL_OFFER", "STABLE");
            assertThat(callee).signalingStates().containsExactly("HAVE_REMOTE_OFFER", "STABLE");
            assertThat(caller)
                    .values(EventKind.MESSAGE_IGNORED)
                    .as("what the caller left alone (the answer's copy at least)")
                    .contains(MessageTypes.ANSWER + " seen before");
            assertThat(callee)
                    .values(EventKind.MESSAGE_IGNORED)
                    .as("what the callee left alone (the offer's copy at least)")
                    .contains(MessageTypes.OFFER + " seen before");
            for (CallTimeline side : List.of(caller, callee)) {
                assertThat(side)
                        .values(EventKind.ERROR)
                        .as("%s: errors", side.side())
                        .isEmpty();
            }
            for (CallReport report : List.of(call.callerReport, call.calleeReport)) {
                assertThat(report.videoFramesReceived())
                        .as("%s: video frames received", report.side())
                        .isPositive();
            }
        }
    }

    @Test
    @DisplayName("an offer, answer or candidate seen before is left alone and recorded; a new one is handled")
    void repeats() {
        CallTimeline timeline = new CallTimeline("memory");
        MessageMemory memory = new MessageMemory(timeline);
        Envelope answer = Envelope.of(
                MessageTypes.ANSWER, new SessionDescriptionMessage("answer", "v=0\r\na=ice-ufrag:aaaa\r\n"));

        assertThat(memory.isNew(offer("aaaa"))).as("the offer").isTrue();
        assertThat(memory.isNew(offer("aaaa"))).as("the same offer again").isFalse();
        assertThat(memory.isNew(answer)).as("an answer").isTrue();
        assertThat(memory.isNew(answer)).as("the same answer again").isFalse();
        assertThat(memory.isNew(candidate("aaaa", 50000))).as("a candidate").isTrue();
        assertThat(memory.isNew(candidate("aaaa", 50000)))
                .as("the same candidate again")
                .isFalse();
        assertThat(memory.isNew(candidate("aaaa", 50002)))
                .as("another candidate")
                .isTrue();

        assertThat(timeline)
                .values(EventKind.MESSAGE_IGNORED)
                .containsExactly("offer seen before", "answer seen before", "candidate seen before");
    }

    @Test
    @DisplayName("after an ICE restart (a new offer, a new ufrag) a candidate of the old generation is left alone; "
            + "the new generation's are handled, even before their offer")
    void oldGeneration() {
        CallTimeline timeline = new CallTimeline("memory");
        MessageMemory memory = new MessageMemory(timeline);
        assertThat(memory.isNew(offer("gen1"))).as("the first offer").isTrue();
        assertThat(memory.isNew(candidate("gen1", 50000))).as("its candidate").isTrue();
        assertThat(memory.isNew(candidate("gen2", 50010)))
                .as("a newer generation's candidate, early")
                .isTrue();

        assertThat(memory.isNew(offer("gen2"))).as("the restart's offer").isTrue();

        assertThat(memory.isNew(candidate("gen1", 50004)))
                .as("a first-generation candidate, late")
                .isFalse();
        assertThat(memory.isNew(candidate("gen2", 50012)))
                .as("a candidate of the restart")
                .isTrue();
        assertThat(timeline).values(EventKind.MESSAGE_IGNORED).containsExactly("candidate of an old ICE generation");
    }
}
