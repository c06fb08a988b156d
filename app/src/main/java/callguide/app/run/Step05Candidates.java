package callguide.app.run;

import callguide.app.FiveSteps;
import callguide.kit.timeline.EventKind;
import java.util.EnumSet;
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
                CallRun::printMedia);
    }
}
