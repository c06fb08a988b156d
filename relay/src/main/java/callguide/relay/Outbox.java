package callguide.relay;

/**
 * Where the messages for one peer go: its WebSocket ({@link WebSocketLink}) or the mailbox its
 * long polls read ({@link Mailbox}).
 */
interface Outbox {

    /**
     * Takes the next message for the peer, already numbered and written as JSON. Called one at a
     * time, in {@code seq} order, while the relay holds the peer's lock: it must not block, throw,
     * or call back into the relay. False when the outbox is over its cap (the peer reads too
     * slowly, or not at all): the message was not taken, and the relay drops the peer ({@code slow}).
     */
    boolean put(long seq, String json);

    /** The peer has left the room: release what is held for it, and end its connection if still open. */
    void close(String reason);

    /** How the peer is connected, for the live view: {@code websocket} or {@code polling}. */
    String transport();
}
