package callguide.relay;

import callguide.kit.signal.ErrorCodes;
import java.util.List;

/**
 * Every {@code error} code and every {@code peer-left} reason this relay sends: protocol v1's
 * (kit's {@link ErrorCodes}) and those added since. {@code relay/PROTOCOL.md} documents each one
 * in these words; a test holds the two to each other.
 */
final class ProtocolCodes {
    /** A polling peer's mailbox holds its limit of unacknowledged messages: the sender is told, the poller dropped. */
    static final String MAILBOX_FULL = "mailbox-full";
    /** One client address already holds its share of rooms or peers. */
    static final String ADDRESS_LIMIT = "address-limit";
    /** A WebSocket join for a peer id held for its owner's rejoin, without that peer's rejoin secret. */
    static final String REJOIN_REFUSED = "rejoin-refused";

    /** Every error code, v1's first. */
    static final List<String> ERROR_CODES = List.of(
            ErrorCodes.BAD_JSON,
            ErrorCodes.BAD_ENVELOPE,
            ErrorCodes.UNKNOWN_TYPE,
            ErrorCodes.TOO_LARGE,
            ErrorCodes.RATE_LIMITED,
            ErrorCodes.NO_SUCH_PEER,
            ErrorCodes.ROOM_FULL,
            ErrorCodes.PEER_TAKEN,
            ErrorCodes.BAD_ID,
            ErrorCodes.FORBIDDEN,
            MAILBOX_FULL,
            ADDRESS_LIMIT,
            REJOIN_REFUSED);

    /** Every {@code peer-left} reason. */
    static final List<String> LEAVE_REASONS = List.of(Peer.CLOSED, Peer.ERROR, Peer.TIMEOUT, Peer.SLOW, Peer.FLOOD);

    private ProtocolCodes() {}
}
