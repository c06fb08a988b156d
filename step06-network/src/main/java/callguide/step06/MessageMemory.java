package callguide.step06;

import callguide.kit.Todo;
import callguide.kit.signal.Envelope;
import callguide.kit.timeline.CallTimeline;
import java.util.HashSet;
import java.util.Set;

/**
 * The guide: negotiation-needed and other events "can be triggered multiple times". So can messages: a relay
 * may deliver an offer, an answer or a candidate twice, and a candidate may belong to an ICE generation an
 * ICE restart has replaced. Handled again, an offer or answer fails in the wrong signalling state. Runs on
 * the peer's loop only.
 */
public final class MessageMemory {
    private final CallTimeline timeline;
    /** What was handled: each message's type and payload, as text. */
    private final Set<String> seen = new HashSet<>();
    /** The ICE username fragments of descriptions a newer one has replaced. */
    private final Set<String> oldGenerations = new HashSet<>();

    private String currentGeneration;

    public MessageMemory(CallTimeline timeline) {
        this.timeline = timeline;
    }

    /** Whether to handle this offer, answer or candidate; one that changes nothing is recorded and left alone. */
    public boolean isNew(Envelope message) {
        // TODO(step06): task 4. The relay may deliver a message twice, and an ICE restart leaves the
        //  candidates of the generation before it stale. How do you tell a repeat, and which generation a
        //  description or a candidate belongs to? Leave a trace of each message you leave alone.
        throw Todo.task("step06", 4, "leave alone a message seen before, or a candidate of an old ICE generation");
    }
}
