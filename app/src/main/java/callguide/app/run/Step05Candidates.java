package callguide.app.run;

import callguide.kit.timeline.EventKind;
import java.util.EnumSet;

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
                CallRun::printMedia);
    }
}
