package callguide.relay;

import callguide.kit.signal.ErrorCodes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Two peers at most, and what passes between them. Everything here runs under the room's own
 * lock, so a message and a departure in one room are seen in one order by everyone in it; only
 * {@link #isEmpty} and {@link #peers()} read who is here without it.
 */
final class Room {
    static final int CAPACITY = 2;

    private final String id;
    /**
     * The peers here, in the order they joined: an array, since forwarding looks in it on every message (no hashing,
     * no iterator). Replaced on a join or a departure, never changed in place, so a copy in hand stays as it was;
     * volatile, so that {@link #isEmpty} and {@link #peers} read it without this room's lock (the {@link Rooms} lock is
     * never held waiting for a room's: a room's lock may be held while a frame is written to a socket).
     */
    private volatile Peer[] peers = new Peer[0];

    private final RoomLog log;

    /** Joins under way, counted by {@link Rooms} under its own lock (which guards this): the room stays open. */
    int joining;

    /** The client address that opened it, for the cap on rooms per address. */
    private final String openedBy;
    /** What the relay's faults do to messages on their way; null when it behaves. */
    private final FaultInjector faults;
    /** What each candidate line becomes on its way (a link's route); null: as sent. */
    private final java.util.function.UnaryOperator<String> candidateRoute;

    Room(String id) {
        this(id, "", new java.util.concurrent.atomic.AtomicLong()::incrementAndGet);
    }

    /** {@code sequence}: the relay-wide numbering of the live view's entries. */
    Room(String id, String openedBy, java.util.function.LongSupplier sequence) {
        this(id, openedBy, sequence, new java.util.concurrent.atomic.AtomicLong(), Faults.none(), null, null);
    }

    /**
     * As above, its log's payloads counted in {@code keptPayloads} with every other room's of the relay, its messages
     * passing through {@code faults}, whose waits run on {@code timers}, and each candidate's line through {@code
     * candidateRoute} (null: as sent).
     */
    Room(
            String id,
            String openedBy,
            java.util.function.LongSupplier sequence,
            java.util.concurrent.atomic.AtomicLong keptPayloads,
            Faults faults,
            java.util.concurrent.ScheduledExecutorService timers,
            java.util.function.UnaryOperator<String> candidateRoute) {
        this.id = id;
        this.candidateRoute = candidateRoute;
        this.openedBy = openedBy;
        this.log = new RoomLog(sequence, keptPayloads);
        this.faults = faults.touchesMessages() ? new FaultInjector(faults, timers, this, this::deliverLate) : null;
    }

    String openedBy() {
        return openedBy;
    }

    String id() {
        return id;
    }

    /**
     * Adds a peer: it gets {@code welcome} (seq 1) naming those already here, and each of them
     * gets {@code peer-joined}.
     */
    synchronized Peer join(String peerId, Outbox outbox, RateLimiter rate) {
        return join(peerId, (id, room) -> new Peer(room, id, outbox, rate));
    }

    /**
     * Adds the peer {@code make} builds (from its id and this room's), as {@link #join(String, Outbox, RateLimiter)}
     * does.
     */
    synchronized Peer join(String peerId, java.util.function.BiFunction<String, String, Peer> make) {
        if (find(peerId) != null) {
            throw new Refusal(ErrorCodes.PEER_TAKEN, "room " + id + " already has a peer called " + peerId);
        }
        if (peers.length >= CAPACITY) {
            throw new Refusal(
                    ErrorCodes.ROOM_FULL,
                    "room " + id + " already has " + CAPACITY + " peers: " + String.join(", ", ids()));
        }
        List<Peer> others = List.of(peers);
        Peer peer = make.apply(peerId, id);
        Peer[] more = java.util.Arrays.copyOf(peers, peers.length + 1);
        more[more.length - 1] = peer;
        peers = more;
        peer.deliver(Envelopes.welcome(id, peerId, others.stream().map(Peer::id).toList(), peer.rejoin()));
        others.forEach(other -> other.deliver(Envelopes.peerJoined(peerId)));
        log.add("joined", peerId, null, peer.outbox().transport());
        return peer;
    }

    /**
     * Delivers a validated message from {@code sender}: to the peer its {@code to} names, or
     * without {@code to} to the other peer of the room.
     */
    synchronized void forward(Peer sender, PeerMessage message) {
        if (!isHere(sender)) {
            throw new Refusal(ErrorCodes.FORBIDDEN, sender.id() + " has left room " + id);
        }
        Peer recipient = message.to() == null ? other(sender) : find(message.to());
        if (recipient == null || recipient == sender) {
            throw new Refusal(
                    ErrorCodes.NO_SUCH_PEER,
                    message.to() == null
                            ? "nobody else is in room " + id + " yet: wait for peer-joined"
                            : "\"to\" names nobody else in room " + id + ": " + message.to());
        }
        if (candidateRoute != null && callguide.kit.signal.MessageTypes.CANDIDATE.equals(message.type())) {
            PeerMessage sent = message;
            message = routed(message);
            if (message == null) {
                log.forwarded(
                        sent.type(),
                        sender.id(),
                        recipient.id(),
                        sent.payload(),
                        "not forwarded: it would go around the link");
                return;
            }
        }
        if (faults != null) {
            faults.forward(sender.id(), recipient.id(), message); // a mailbox-full recipient is dropped all the same
            return;
        }
        if (!recipient.deliver(message, sender.id())) {
            if (recipient.outbox() instanceof Mailbox) {
                throw new Refusal(
                        ProtocolCodes.MAILBOX_FULL,
                        recipient.id() + " has not polled for what it was sent: its mailbox is full,"
                                + " so it is dropped (peer-left, reason slow) and this message was not delivered");
            }
            return; // a WebSocket peer that does not read: dropped, and its peer-left (slow) follows
        }
        log.forwarded(message.type(), sender.id(), recipient.id(), message.payload(), null);
    }

    /** A message the faults held, or changed: delivered if its recipient is still here. Under this room's lock. */
    private void deliverLate(String from, String to, PeerMessage message, String fault) {
        Peer recipient = find(to);
        if (recipient != null && recipient.deliver(message, from)) {
            log.forwarded(message.type(), from, to, message.payload(), fault);
        }
    }

    /** The candidate with its line through {@link #candidateRoute}; null when the route keeps it back. */
    private PeerMessage routed(PeerMessage message) {
        if (message.payload() == null) {
            return message;
        }
        try {
            com.fasterxml.jackson.databind.JsonNode payload =
                    callguide.kit.signal.Json.MAPPER.readTree(message.payload());
            if (!(payload instanceof com.fasterxml.jackson.databind.node.ObjectNode candidate)
                    || !payload.path("candidate").isTextual()) {
                return message;
            }
            String line;
            try {
                line = candidateRoute.apply(payload.get("candidate").asText());
            } catch (RuntimeException full) {
                line = null; // a link closed or out of sockets: forwarded as it is, it would go around the link
            }
            if (line == null) {
                return null;
            }
            candidate.put("candidate", line);
            return new PeerMessage(message.type(), message.to(), callguide.kit.signal.Json.write(candidate));
        } catch (java.io.IOException e) {
            return message; // checked on the way in: cannot happen
        }
    }

    /** Messages the faults hold right now (for tests). */
    synchronized int heldByFaults() {
        return faults == null ? 0 : faults.pending();
    }

    /**
     * Removes {@code peer} if it is still here, and tells the others why it left. The others are
     * walked in the array as it is once the peer is out: telling one of them may end it too (its
     * outbox may call back into the relay), which replaces the room's array, never the one walked.
     */
    synchronized boolean leave(Peer peer, String reason) {
        if (!isHere(peer)) {
            return false;
        }
        if (faults != null) {
            faults.flushFrom(peer.id()); // what it sent arrives before the news that it left
            faults.dropTo(peer.id());
        }
        peers = java.util.Arrays.stream(peers).filter(p -> p != peer).toArray(Peer[]::new);
        for (Peer other : peers) { // this array stays as it is, whatever telling them does
            other.deliver(Envelopes.peerLeft(peer.id(), reason));
        }
        log.add("left", peer.id(), null, reason);
        return true;
    }

    /** Gone from the live view: its log's payloads no longer count against the relay's. */
    synchronized void forget() {
        log.forget();
    }

    /** The number of the oldest entry of its log above {@code since}, or 0 if there is none. */
    synchronized long firstChangeAfter(long since) {
        return log.firstAfter(since);
    }

    /**
     * The room as the live view shows it: {@code {room, open, seq, peers, messages}}, the messages
     * numbered above {@code since} only; addresses in candidates redacted unless {@code addresses}.
     */
    synchronized Map<String, Object> view(boolean open, long since, boolean addresses) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("room", id);
        view.put("open", open);
        view.put("seq", log.last());
        view.put(
                "peers",
                java.util.Arrays.stream(peers)
                        .map(p -> {
                            Map<String, Object> peer = new LinkedHashMap<>();
                            peer.put("peer", p.id());
                            peer.put("transport", p.outbox().transport());
                            peer.put("since", p.since());
                            return peer;
                        })
                        .toList());
        view.put("messages", log.entries(since, addresses));
        return view;
    }

    /** No peer is here: read without the room's lock (see {@link #peers}). */
    boolean isEmpty() {
        return peers.length == 0;
    }

    /** The peers here, read without the room's lock (see {@link #peers}). */
    List<Peer> peers() {
        return List.of(peers);
    }

    /** The peer called {@code peerId}, or null. */
    synchronized Peer peer(String peerId) {
        return find(peerId);
    }

    /** The peer called {@code peerId} here, or null. */
    private Peer find(String peerId) {
        for (Peer peer : peers) {
            if (peer.id().equals(peerId)) {
                return peer;
            }
        }
        return null;
    }

    /** True if {@code peer} itself (not another with its id) is here. */
    private boolean isHere(Peer peer) {
        for (Peer here : peers) {
            if (here == peer) {
                return true;
            }
        }
        return false;
    }

    private List<String> ids() {
        return java.util.Arrays.stream(peers).map(Peer::id).toList();
    }

    private Peer other(Peer sender) {
        for (Peer peer : peers) {
            if (peer != sender) {
                return peer;
            }
        }
        return null;
    }
}
