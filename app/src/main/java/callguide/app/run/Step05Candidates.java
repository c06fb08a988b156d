package callguide.app.run;

import static callguide.app.run.StepRun.say;

import callguide.app.FiveSteps;
import callguide.call.CallPeer;
import callguide.kit.rtc.Stats;
import callguide.kit.timeline.EventKind;
import java.util.EnumSet;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * {@code ./workshop run 05 [--faults LIST] [--without queue]}: the whole call; each candidate sent, held and
 * applied, the ICE and connection states up to connected, then the frames received and the selected pair.
 */
public final class Step05Candidates {

    private Step05Candidates() {}

    public static void main(String[] args) {
        StepRun.main("step05", args, Step05Candidates::run);
    }

    /** Candidates applied the moment they come: what {@code --without queue} runs. */
    static final StepRun.Idea QUEUE = new StepRun.Idea(
            "queue", "each remote candidate goes to addIceCandidate the moment it comes, remote description or not");

    private static void run(String[] args) throws Exception {
        CallRun.Variant variant = StepRun.without(args, QUEUE)
                .map(idea -> new CallRun.Variant(
                        FiveSteps.WITHOUT_QUEUE, UnaryOperator.identity(), UnaryOperator.identity(), true))
                .orElse(CallRun.Variant.NONE);
        CallRun.run(
                args,
                EnumSet.of(
                        EventKind.CANDIDATE_SENT,
                        EventKind.CANDIDATE_FILTERED,
                        EventKind.CANDIDATE_QUEUED,
                        EventKind.CANDIDATE_APPLIED,
                        EventKind.ICE_CONNECTION_STATE,
                        EventKind.CONNECTION_STATE,
                        EventKind.ERROR),
                variant,
                (caller, callee) -> {
                    CallPeer[] peers = {caller, callee};
                    String[][] pairs = new String[2][];
                    for (int i = 0; i < 2; i++) {
                        try {
                            pairs[i] = Stats.selectedPair(
                                            Stats.report(peers[i].peerConnection())
                                                    .get(5, TimeUnit.SECONDS),
                                            peers[i].timeline().values(EventKind.CANDIDATE_APPLIED))
                                    .map(p -> new String[] {
                                        p.local().toString(), p.remote().toString()
                                    })
                                    .orElse(new String[] {"none", "none"});
                        } catch (Exception e) {
                            pairs[i] = new String[] {"unknown (" + e.getMessage() + ")", "unknown"};
                        }
                    }
                    for (int i = 0; i < 2; i++) {
                        pairs[i][1] = Stats.resolveRemote(pairs[i][1], pairs[1 - i][0]);
                    }
                    for (int i = 0; i < 2; i++) {
                        say(
                                "%s: %d video frames, %d audio callbacks received; selected pair %s <-> %s",
                                peers[i].timeline().side(),
                                peers[i].remoteVideo().frames(),
                                peers[i].remoteAudio().callbacks(),
                                pairs[i][0],
                                pairs[i][1]);
                    }
                    Stats.prflxNote(pairs[0][0], pairs[0][1], pairs[1][0], pairs[1][1])
                            .ifPresent(note -> say("(%s)", note));
                });
    }
}
