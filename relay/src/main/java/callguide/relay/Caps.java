package callguide.relay;

/**
 * What one client may hold, so that one misbehaving laptop (or a page it opened) cannot take
 * the relay's memory, rooms or connections from everyone else. A "client" is one remote address.
 *
 * @param maxQueuedBytes         characters of JSON queued to one WebSocket peer and not yet written to
 *                               its socket; a peer that reads too slowly for this is dropped (peer-left {@code slow})
 * @param mailboxMessages        messages a polling peer may leave unacknowledged; one more and it is
 *                               dropped, its sender told {@code mailbox-full}
 * @param mailboxBytes           ... and characters of JSON it may leave unacknowledged
 * @param roomsPerAddress        rooms one address may have opened and still hold (refused: {@code address-limit})
 * @param peersPerAddress        peers one address may have in rooms at once (refused: {@code address-limit})
 * @param connectionsPerAddress  TCP connections one address may hold open; one more is answered 503 and closed
 * @param maxConnections         TCP connections the relay accepts in all; 0: worked out at start from the
 *                               process's file limit, so the relay never runs out of file descriptors
 */
public record Caps(
        int maxQueuedBytes,
        int mailboxMessages,
        int mailboxBytes,
        int roomsPerAddress,
        int peersPerAddress,
        int connectionsPerAddress,
        int maxConnections) {

    public Caps {
        require(maxQueuedBytes >= 1024, "the queued-bytes cap must be at least 1024, not " + maxQueuedBytes);
        require(mailboxMessages >= 10, "the mailbox message cap must be at least 10, not " + mailboxMessages);
        require(mailboxBytes >= 1024, "the mailbox bytes cap must be at least 1024, not " + mailboxBytes);
        require(roomsPerAddress >= 1, "the rooms per address cap must be at least 1, not " + roomsPerAddress);
        require(peersPerAddress >= 1, "the peers per address cap must be at least 1, not " + peersPerAddress);
        require(
                connectionsPerAddress >= 2,
                "the connections per address cap must be at least 2, not " + connectionsPerAddress);
        require(
                maxConnections == 0 || maxConnections >= connectionsPerAddress,
                "the connection cap must be 0 (from the file limit) or at least the per-address cap, not "
                        + maxConnections);
    }

    /**
     * 1 MiB queued per WebSocket peer; 1000 messages or 1 MiB per mailbox; 20 rooms, 40 peers, 64 connections per
     * address.
     */
    public static Caps defaults() {
        return new Caps(1 << 20, 1000, 1 << 20, 20, 40, 64, 0);
    }

    public Caps withMaxQueuedBytes(int n) {
        return new Caps(
                n,
                mailboxMessages,
                mailboxBytes,
                roomsPerAddress,
                peersPerAddress,
                connectionsPerAddress,
                maxConnections);
    }

    public Caps withMailbox(int messages, int bytes) {
        return new Caps(
                maxQueuedBytes,
                messages,
                bytes,
                roomsPerAddress,
                peersPerAddress,
                connectionsPerAddress,
                maxConnections);
    }

    public Caps withRoomsPerAddress(int n) {
        return new Caps(
                maxQueuedBytes,
                mailboxMessages,
                mailboxBytes,
                n,
                peersPerAddress,
                connectionsPerAddress,
                maxConnections);
    }

    public Caps withPeersPerAddress(int n) {
        return new Caps(
                maxQueuedBytes,
                mailboxMessages,
                mailboxBytes,
                roomsPerAddress,
                n,
                connectionsPerAddress,
                maxConnections);
    }

    public Caps withConnectionsPerAddress(int n) {
        return new Caps(
                maxQueuedBytes, mailboxMessages, mailboxBytes, roomsPerAddress, peersPerAddress, n, maxConnections);
    }

    public Caps withMaxConnections(int n) {
        return new Caps(
                maxQueuedBytes,
                mailboxMessages,
                mailboxBytes,
                roomsPerAddress,
                peersPerAddress,
                connectionsPerAddress,
                n);
    }

    /** Caps no benchmark or load test from one address reaches (every client of those is 127.0.0.1). */
    public static Caps generous() {
        return new Caps(16 << 20, 100_000, 64 << 20, 100_000, 100_000, 100_000, 0);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
