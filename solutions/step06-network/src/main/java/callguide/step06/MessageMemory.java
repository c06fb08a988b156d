package callguide.step06;

import callguide.kit.signal.CandidateMessage;
import callguide.kit.signal.Envelope;
import callguide.kit.signal.MessageTypes;
import callguide.kit.signal.SessionDescriptionMessage;
import callguide.kit.timeline.CallTimeline;
import callguide.kit.timeline.EventKind;
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
        // Task 4. The copy differs only in its seq: the payload is the message. (A call holds a few dozen;
        // the relay's caps bound them.)
        if (!seen.add(message.type() + " " + message.payload())) {
            return ignore(message.type() + " seen before");
        }
        if (MessageTypes.OFFER.equals(message.type()) || MessageTypes.ANSWER.equals(message.type())) {
            String generation =
                    message.payloadAs(SessionDescriptionMessage.class).iceUfrag();
            if (generation != null && !generation.equals(currentGeneration)) {
                if (currentGeneration != null) {
                    oldGenerations.add(currentGeneration); // an ICE restart: its candidates are stale now
                }
                currentGeneration = generation;
            }
        } else if (MessageTypes.CANDIDATE.equals(message.type())) {
            // Only a generation known to be old: a newer one's candidates may come before its offer.
            if (oldGenerations.contains(
                    message.payloadAs(CandidateMessage.class).iceUfrag())) {
                return ignore("candidate of an old ICE generation");
            }
        }
        return true;
    }

    private boolean ignore(String why) {
        timeline.record(EventKind.MESSAGE_IGNORED, why);
        return false;
    }
}
