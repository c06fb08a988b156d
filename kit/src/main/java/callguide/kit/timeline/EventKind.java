package callguide.kit.timeline;

import java.util.Locale;

/** What a timeline entry is about. The JSON and the printed timeline use {@link #label()}. */
public enum EventKind {
    /** {@code signalingstatechange}: STABLE, HAVE_LOCAL_OFFER, HAVE_REMOTE_OFFER, CLOSED. */
    SIGNALING_STATE,
    /** {@code iceconnectionstatechange}: CHECKING, CONNECTED, COMPLETED, ... */
    ICE_CONNECTION_STATE,
    /** {@code connectionstatechange}: CONNECTING, CONNECTED, CLOSED, ... */
    CONNECTION_STATE,
    /** {@code icegatheringstatechange}: GATHERING, COMPLETE. */
    ICE_GATHERING_STATE,
    /** {@code negotiationneeded}. */
    NEGOTIATION_NEEDED,
    /** {@code track}: the kind of the remote track that arrived. */
    TRACK,
    /** {@code icecandidate}: a local candidate found. */
    LOCAL_CANDIDATE,
    /** {@code icecandidateerror}. */
    CANDIDATE_ERROR,
    /** A local candidate sent to the other peer. */
    CANDIDATE_SENT,
    /** A local candidate not sent (the ICE profile filters it out). */
    CANDIDATE_FILTERED,
    /** A remote candidate held until the remote description is set. */
    CANDIDATE_QUEUED,
    /** A remote candidate given to {@code addIceCandidate}. */
    CANDIDATE_APPLIED,
    /** createOffer resolved. */
    OFFER_CREATED,
    /** createAnswer resolved. */
    ANSWER_CREATED,
    LOCAL_DESCRIPTION_SET,
    REMOTE_DESCRIPTION_SET,
    /** A relay message sent: its type. */
    MESSAGE_SENT,
    /** A relay message received: its type. */
    MESSAGE_RECEIVED,
    /** A relay message left alone: seen before, or a candidate of an ICE generation already replaced. */
    MESSAGE_IGNORED,
    /** The call's own milestones: announced, accepted, declined, up, media. */
    CALL,
    /** The network link under the call changed ({@code callguide.kit.net.Link}): its settings, a cut, a heal. */
    LINK,
    /** Something went wrong: the message. */
    ERROR;

    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
