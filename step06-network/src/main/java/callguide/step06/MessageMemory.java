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
        // TODO(step06): task 4. Seen before (same type, same payload)? Record MESSAGE_IGNORED, return false.
        //  An offer or answer: its payloadAs(SessionDescriptionMessage.class).iceUfrag() is the current ICE
        //  generation (the one before it becomes old). A candidate whose payloadAs(CandidateMessage.class)
        //  .iceUfrag() is an old generation: record MESSAGE_IGNORED, return false. Anything else: true.
        throw Todo.task("step06", 4, "leave alone a message seen before, or a candidate of an old ICE generation");
    }
}
