package callguide.kit.signal;

import java.util.List;

/** The payloads of the messages the relay itself sends. */
public final class Payloads {
    private Payloads() {
    }

    /** {@code welcome}: the room joined, the peer id, and the others already in the room. */
    public record Welcome(String room, String peer, List<String> peers) {
    }

    /** {@code peer-joined}. */
    public record PeerJoined(String peer) {
    }

    /** {@code peer-left}, with a reason such as {@code closed}, {@code error} or {@code timeout}. */
    public record PeerLeft(String peer, String reason) {
    }

    /** {@code error}: one of the protocol's codes and a human message. */
    public record Error(String code, String message) {
    }
}
