package callguide.kit.signal;

import java.util.List;

/** The payloads of the messages the relay itself sends. */
public final class Payloads {
    private Payloads() {}

    /**
     * {@code welcome}: the room joined, the peer id, the others already in the room, and the
     * rejoin secret: should this connection end other than by a clean close, only a join that
     * presents it ({@code rejoin=SECRET}) gets this peer id back during the relay's grace period
     * (relay/PROTOCOL.md). Null from a relay that gives none.
     */
    public record Welcome(String room, String peer, List<String> peers, String rejoin) {
        public Welcome(String room, String peer, List<String> peers) {
            this(room, peer, peers, null);
        }
    }

    /** {@code peer-joined}. */
    public record PeerJoined(String peer) {}

    /** {@code peer-left}, with a reason such as {@code closed}, {@code error} or {@code timeout}. */
    public record PeerLeft(String peer, String reason) {}

    /** {@code error}: one of the protocol's codes and a human message. */
    public record Error(String code, String message) {}
}
