package callguide.app.run;

import static callguide.app.run.StepRun.say;

import callguide.app.CallPeer;
import callguide.kit.rtc.Stats;
import callguide.kit.timeline.EventKind;
import java.util.EnumSet;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./workshop run 05}: the whole call; each candidate sent, held and applied, the ICE and
 * connection states up to connected, then the frames received and the selected pair.
 */
public final class Step05Candidates {

    private Step05Candidates() {
    }

    public static void main(String[] args) {
        StepRun.main("step05", args, Step05Candidates::run);
    }

    private static void run(String[] args) throws Exception {
        CallRun.run(EnumSet.of(EventKind.CANDIDATE_SENT, EventKind.CANDIDATE_FILTERED, EventKind.CANDIDATE_QUEUED,
                        EventKind.CANDIDATE_APPLIED, EventKind.ICE_CONNECTION_STATE, EventKind.CONNECTION_STATE, EventKind.ERROR),
                (caller, callee) -> {
                    for (CallPeer peer : new CallPeer[] {caller, callee}) {
                        String pair;
                        try {
                            pair = Stats.selectedPair(Stats.report(peer.peerConnection()).get(5, TimeUnit.SECONDS),
                                            peer.timeline().values(EventKind.CANDIDATE_APPLIED))
                                    .map(Object::toString).orElse("none");
                        } catch (Exception e) {
                            pair = "unknown (" + e.getMessage() + ")";
                        }
                        say("%s: %d video frames, %d audio callbacks received; selected pair %s", peer.timeline().side(),
                                peer.remoteVideo().frames(), peer.remoteAudio().callbacks(), pair);
                    }
                });
    }
}
