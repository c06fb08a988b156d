package callguide.app.run;

import static callguide.app.run.StepRun.say;

import callguide.call.CallPeer;
import callguide.kit.rtc.Stats;
import callguide.kit.timeline.EventKind;
import java.util.EnumSet;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./workshop run 05}: the whole call; each candidate sent, held and applied, the ICE and
 * connection states up to connected, then the frames received and the selected pair.
 */
public final class Step05Candidates {

    private Step05Candidates() {}

    public static void main(String[] args) {
        StepRun.main("step05", args, Step05Candidates::run);
    }

    private static void run(String[] args) throws Exception {
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
                        String remote = Stats.resolveRemote(pairs[i][1], pairs[1 - i][0]);
                        say(
                                "%s: %d video frames, %d audio callbacks received; selected pair %s <-> %s",
                                peers[i].timeline().side(),
                                peers[i].remoteVideo().frames(),
                                peers[i].remoteAudio().callbacks(),
                                pairs[i][0],
                                remote);
                    }
                });
    }
}
