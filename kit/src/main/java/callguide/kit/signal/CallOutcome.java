package callguide.kit.signal;

/** How announcing a call ended. */
public enum CallOutcome {
    /** The callee answered {@code accept}: go on to the offer. */
    ACCEPTED,
    /** The callee answered {@code decline}. */
    DECLINED,
    /** Nobody answered in time. */
    NO_ANSWER,
    /** There is nobody to call: the relay answered {@code no-such-peer}. */
    NO_CALLEE
}
