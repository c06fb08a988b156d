package callguide.kit.signal;

import java.util.Set;

/** The {@code type} values of relay protocol version 1. */
public final class MessageTypes {
    // Sent by peers.
    public static final String CALL = "call";
    public static final String ACCEPT = "accept";
    public static final String DECLINE = "decline";
    public static final String OFFER = "offer";
    public static final String ANSWER = "answer";
    public static final String CANDIDATE = "candidate";
    public static final String HANGUP = "hangup";
    /** Extensions peers may send: any type starting with this prefix. */
    public static final String EXTENSION_PREFIX = "x-";

    // Sent by the relay.
    public static final String WELCOME = "welcome";
    public static final String PEER_JOINED = "peer-joined";
    public static final String PEER_LEFT = "peer-left";
    public static final String ERROR = "error";

    public static final Set<String> FROM_PEERS = Set.of(CALL, ACCEPT, DECLINE, OFFER, ANSWER, CANDIDATE, HANGUP);
    public static final Set<String> FROM_RELAY = Set.of(WELCOME, PEER_JOINED, PEER_LEFT, ERROR);

    private MessageTypes() {}

    /** True for the types a peer may send: the seven of the protocol and any {@code x-...} extension. */
    public static boolean isPeerType(String type) {
        return type != null
                && (FROM_PEERS.contains(type)
                        || (type.startsWith(EXTENSION_PREFIX) && type.length() > EXTENSION_PREFIX.length()));
    }
}
