package callguide.relay;

import callguide.kit.signal.ErrorCodes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * Every open room, by id. A room opens with its first peer and is gone with its last, so an
 * empty relay holds nothing.
 *
 * <p>Locks are always taken in this order: {@code Rooms}, then a {@link Room}, then a
 * {@link Peer}. None of them is held while anything blocks: handing a message to an outbox only
 * queues it (though a WebSocket's may write it to the socket then and there). The {@code Rooms} lock
 * guards the relay's counts only (rooms open, peers and rooms by address, held ids), and is never held
 * while a peer is told anything: a join counts itself and reserves its room under it, then joins the
 * room under the room's lock alone; a leave leaves the room first, then gives back what it counted, and
 * the room closes once it is empty with no join under way. Finding a room (every message sent, every
 * poll) takes no lock: the map is a concurrent one, and a room found just as its last peer leaves
 * refuses the message itself ({@link Room#forward} checks the sender is still there).
 */
final class Rooms {
    private final RelayConfig config;
    /** Where peers whose outbox overflowed are dropped: never on the thread that found out (it holds locks). */
    private final Executor drops;

    private final QueueBudget budget;
    private final Map<String, Room> rooms = new ConcurrentHashMap<>();
    /** The live view's relay-wide sequence: every entry of every room's log gets the next number. */
    private final java.util.concurrent.atomic.AtomicLong changes = new java.util.concurrent.atomic.AtomicLong();
    /** The payload chars every room's log holds for details still to be worked out ({@link RoomLog#KEPT_IN_ALL}). */
    private final java.util.concurrent.atomic.AtomicLong keptPayloads = new java.util.concurrent.atomic.AtomicLong();
    /** Peers in rooms, and rooms still open, by the client address that joined or opened them (guarded by this). */
    private final Map<String, Integer> peersByAddress = new java.util.HashMap<>();

    private final Map<String, Integer> roomsByAddress = new java.util.HashMap<>();
    /** Rooms whose peers have all left, newest first, so the live view still shows the last calls. */
    private final java.util.Deque<Room> recent = new java.util.ArrayDeque<>();

    static final int RECENT = 20;

    /** Where the waits of the relay's faults run (null: the faults are off). */
    private final java.util.concurrent.ScheduledExecutorService timers;

    Rooms(RelayConfig config, Executor drops, QueueBudget budget) {
        this(config, drops, budget, null);
    }

    Rooms(
            RelayConfig config,
            Executor drops,
            QueueBudget budget,
            java.util.concurrent.ScheduledExecutorService timers) {
        if (config.faults().touchesMessages() && timers == null) {
            throw new IllegalArgumentException("faults that hold messages need timers");
        }
        this.config = config;
        this.drops = drops;
        this.budget = budget;
        this.timers = timers;
    }

    QueueBudget budget() {
        return budget;
    }

    /**
     * Joins {@code peerId} to {@code roomId} from the client {@code address}, opening the room if
     * needed; refuses bad ids, full rooms and taken ids.
     */
    Peer join(String roomId, String peerId, Outbox outbox, String address) {
        return join(roomId, peerId, outbox, address, null);
    }

    /**
     * As {@link #join(String, String, Outbox, String)}, {@code rejoin} being the secret the client
     * presents (null: none): a peer id held for the peer that left with it is given back only for
     * that peer's secret ({@code rejoin-refused} otherwise), and once given back is held no more.
     */
    Peer join(String roomId, String peerId, Outbox outbox, String address, String rejoin) {
        // What a join needs that no other join can change is made before the lock every join takes: the secret (a
        // SecureRandom read) and the peer's rate limits.
        String secret = newSecret();
        RateLimiter rate = new RateLimiter(config.rateBurst(), config.ratePerSecond());
        RateLimiter strikes = new RateLimiter(config.rateBurst(), Math.max(1, config.ratePerSecond() / 10));
        return join(roomId, peerId, outbox, address, rejoin, secret, rate, strikes);
    }

    private Peer join(
            String roomId,
            String peerId,
            Outbox outbox,
            String address,
            String rejoin,
            String secret,
            RateLimiter rate,
            RateLimiter strikes) {
        Envelopes.checkId("room", roomId);
        Envelopes.checkId("peer", peerId);
        String key = roomId + "/" + peerId;
        Room room = reserve(roomId, peerId, address, rejoin, key);
        Peer peer = null;
        Outgoing outgoing = Outgoing.begin();
        try {
            // Under the room's lock only, its welcome and peer-joined written once that is let go (Outgoing): with
            // every join of the relay under this lock, as before, and the frames written under it, a class joining at
            // once queued behind each write (bench relay --vs peerjs: 1,000 joins 0.44-0.68 s).
            peer = room.join(
                    peerId, (id, r) -> new Peer(r, id, outbox, rate, strikes, address, secret, this::overflowed));
            return peer;
        } finally {
            try {
                settle(room, key, address, peer != null);
            } finally {
                outgoing.end();
            }
        }
    }

    /**
     * The checks of a join that need the relay's counts (a held id, the address's shares, the rooms' cap), and the
     * room it joins, opened if needed and reserved: a room with a join under way is not closed by its last peer's
     * leave. The address's peer (and, for a room it opens, room) is counted from here; {@link #settle} gives it back if
     * the room refuses the join.
     */
    private synchronized Room reserve(String roomId, String peerId, String address, String rejoin, String key) {
        Held held = this.held.get(key);
        if (held != null && held.until() - System.nanoTime() > 0) {
            if (rejoin == null
                    || !java.security.MessageDigest.isEqual(
                            held.secret().getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                            rejoin.getBytes(java.nio.charset.StandardCharsets.US_ASCII))) {
                throw new Refusal(
                        ProtocolCodes.REJOIN_REFUSED,
                        "peer id " + peerId + " of room " + roomId + " is held for "
                                + Math.max(
                                        1,
                                        java.util.concurrent.TimeUnit.NANOSECONDS.toSeconds(
                                                held.until() - System.nanoTime()))
                                + " s more for the peer that had it: rejoin with the secret its welcome carried "
                                + "(rejoin=...), or choose another id");
            }
        }
        Caps caps = config.caps();
        if (peersByAddress.getOrDefault(address, 0) >= caps.peersPerAddress()) {
            throw new Refusal(
                    ProtocolCodes.ADDRESS_LIMIT,
                    address + " already has " + caps.peersPerAddress()
                            + " peers in rooms of this relay, its share: leave one first");
        }
        Room room = rooms.get(roomId);
        if (room == null) {
            if (roomsByAddress.getOrDefault(address, 0) >= caps.roomsPerAddress()) {
                throw new Refusal(
                        ProtocolCodes.ADDRESS_LIMIT,
                        address + " already opened " + caps.roomsPerAddress()
                                + " rooms on this relay, its share: join one of them, or leave one first");
            }
            if (rooms.size() >= config.maxRooms()) {
                throw new Refusal(
                        ErrorCodes.ROOM_FULL,
                        "the relay already has its limit of " + config.maxRooms() + " rooms open");
            }
            room = new Room(
                    roomId,
                    address,
                    changes::incrementAndGet,
                    keptPayloads,
                    config.faults(),
                    timers,
                    config.candidateRoute());
            rooms.put(roomId, room);
            roomsByAddress.merge(address, 1, Integer::sum);
        }
        room.joining++;
        peersByAddress.merge(address, 1, Integer::sum);
        return room;
    }

    /** A join {@link #reserve reserved} is over: it {@code joined}, or the room refused it and what it counted goes. */
    private synchronized void settle(Room room, String key, String address, boolean joined) {
        room.joining--;
        if (joined) {
            held.remove(key);
        } else {
            release(peersByAddress, address);
        }
        closeIfEmpty(room, joined); // its peers may all have left while this join held it open
    }

    /**
     * Closes {@code room} if nobody is in it and no join is under way; {@code used}: peers were in it, so the live view
     * keeps it among the recent rooms. Under this lock.
     */
    private void closeIfEmpty(Room room, boolean used) {
        if (room.joining > 0 || !room.isEmpty() || !rooms.remove(room.id(), room)) {
            return;
        }
        release(roomsByAddress, room.openedBy());
        if (used) {
            recent.addFirst(room);
            while (recent.size() > RECENT) {
                recent.removeLast().forget();
            }
        }
    }

    /** A peer id held for the peer that left with it, until {@code until} ({@link System#nanoTime()}). */
    private record Held(String secret, long until) {}

    private static final int MAX_HELD = 10_000;

    /** Guarded by this; insertion order is expiry order (one grace period for all). */
    private final Map<String, Held> held = new java.util.LinkedHashMap<>();

    private void hold(String key, String secret) {
        long now = System.nanoTime();
        expire(now);
        while (held.size() >= MAX_HELD) {
            held.remove(held.keySet().iterator().next()); // the oldest goes first
        }
        held.remove(key);
        held.put(key, new Held(secret, now + config.access().rejoinGrace().toNanos()));
    }

    /** Peer ids held for a rejoin right now (for tests). */
    synchronized int held() {
        expire(System.nanoTime());
        return held.size();
    }

    /**
     * Forgets the held ids whose grace is over: the oldest, at the front, so it stops at the first still held (a scan
     * of all 10,000 on every leave was 14% of the relay's time while a class came and went).
     */
    private void expire(long now) {
        for (java.util.Iterator<Held> oldest = held.values().iterator(); oldest.hasNext(); ) {
            if (oldest.next().until() - now > 0) {
                return;
            }
            oldest.remove();
        }
    }

    private static String newSecret() {
        return Secrets.token(24);
    }

    private static void release(Map<String, Integer> counts, String address) {
        counts.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
    }

    /** Told under the peer's lock: the drop is only scheduled here. */
    private void overflowed(Peer peer) {
        try {
            drops.execute(() -> leave(peer, Peer.SLOW));
        } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
            // the relay is closing: every peer goes anyway
        }
    }

    /**
     * Every frame a peer sends, valid or not, takes a token of its rate limit first. Without one
     * the frame is refused {@code rate-limited} and takes a strike; a peer out of strikes too (it
     * kept sending while refused) gets a refusal that {@link Refusal#ends() ends} it: the transport
     * answers, then calls {@link #leave} with {@link Peer#FLOOD}.
     */
    void admit(Peer sender) {
        if (sender.rate().tryAcquire()) {
            return;
        }
        String limit = "at most " + config.rateBurst() + " at once, then " + config.ratePerSecond() + " a second";
        if (!sender.strikes().tryAcquire()) {
            throw new Refusal(
                    ErrorCodes.RATE_LIMITED,
                    "too many messages (" + limit + "), and more kept coming after" + " rate-limited: disconnected",
                    true);
        }
        throw new Refusal(ErrorCodes.RATE_LIMITED, "too many messages: " + limit);
    }

    /**
     * Sends a message that passed {@link #admit} and {@link Envelopes#read}: routing. Throws the
     * {@link Refusal} to give back to the sender.
     */
    void send(Peer sender, PeerMessage message) {
        Room room = rooms.get(sender.room());
        if (room == null) {
            throw new Refusal(ErrorCodes.FORBIDDEN, sender.id() + " has left room " + sender.room());
        }
        Outgoing outgoing = Outgoing.begin();
        try {
            room.forward(sender, message); // its frame is written once the room's lock is let go
        } finally {
            outgoing.end();
        }
    }

    /**
     * {@code peer} leaves: the other peer gets {@code peer-left} with the reason, an empty room
     * is deleted, and the peer's outbox is closed. False if it had already left.
     */
    boolean leave(Peer peer, String reason) {
        Room room = rooms.get(peer.room());
        if (room == null || !leaveRoom(room, peer, reason)) {
            return false;
        }
        synchronized (this) {
            release(peersByAddress, peer.address());
            if (!reason.equals(Peer.CLOSED)
                    && peer.rejoin() != null
                    && !config.access().rejoinGrace().isZero()) {
                hold(peer.room() + "/" + peer.id(), peer.rejoin());
            }
            closeIfEmpty(room, true);
        }
        peer.outbox().close(reason);
        return true;
    }

    /** {@link Room#leave}, the peer-left it sends written once the room's lock is let go. */
    private static boolean leaveRoom(Room room, Peer peer, String reason) {
        Outgoing outgoing = Outgoing.begin();
        try {
            return room.leave(peer, reason);
        } finally {
            outgoing.end();
        }
    }

    /** The peer {@code peerId} of {@code roomId}, or null. */
    Peer find(String roomId, String peerId) {
        Room room = rooms.get(roomId);
        return room == null ? null : room.peer(peerId);
    }

    /** A snapshot of every peer, for the sweeps that notice silent ones. */
    synchronized List<Peer> peers() {
        List<Peer> all = new ArrayList<>();
        rooms.values().forEach(room -> all.addAll(room.peers()));
        return all;
    }

    /** {@code {"status": "ok", "rooms": n, "peers": n}}: a join or a leave under way is counted or not. */
    synchronized String health() {
        int peers =
                rooms.values().stream().mapToInt(room -> room.peers().size()).sum();
        return "{\"status\":\"ok\",\"rooms\":" + rooms.size() + ",\"peers\":" + peers + "}";
    }

    /**
     * The live view, from {@code since} on: {@code {"rooms": [...], "seq": S, "more": bool}}, each
     * room with something new after {@code since} (open ones, and the {@value #RECENT} last
     * closed), with its entries after {@code since}, until {@code budget} characters of JSON.
     * Every entry numbered up to {@code seq} is in this answer or an earlier one, so the next
     * request asks from {@code seq}: rooms are taken in the order of their oldest new entry, and a
     * room left out for the budget holds nothing at or below {@code seq}. An answer may repeat an
     * entry above {@code seq}; clients skip the numbers they have. {@code more}: something was left out.
     */
    String view(long since, int budget, boolean addresses) {
        long upTo = changes.get(); // read first: every entry numbered up to here is in a log already
        List<Room> candidates = new ArrayList<>();
        java.util.Set<Room> open;
        synchronized (this) {
            open = java.util.Set.copyOf(rooms.values());
            candidates.addAll(open);
            candidates.addAll(recent);
        }
        List<Map.Entry<Long, Room>> byFirstNew = new ArrayList<>();
        for (Room room : candidates) {
            long first = room.firstChangeAfter(since);
            if (first > 0) {
                byFirstNew.add(Map.entry(first, room));
            }
        }
        byFirstNew.sort(Map.Entry.comparingByKey());
        StringBuilder json = new StringBuilder("{\"rooms\":[");
        long seq = Math.max(since, upTo);
        boolean more = false;
        int included = 0;
        for (Map.Entry<Long, Room> entry : byFirstNew) {
            String room = callguide.kit.signal.Json.write(
                    entry.getValue().view(open.contains(entry.getValue()), since, addresses));
            if (included > 0 && json.length() + room.length() > budget) {
                more = true;
                seq = Math.min(seq, entry.getKey() - 1);
                break;
            }
            json.append(included++ > 0 ? "," : "").append(room);
        }
        return json.append("],\"seq\":")
                .append(seq)
                .append(",\"more\":")
                .append(more)
                .append(",\"faults\":")
                .append(callguide.kit.signal.Json.write(config.faults().toString()))
                .append('}')
                .toString();
    }

    /** Messages the relay's faults hold right now, in every open room (for tests). */
    int heldByFaults() {
        return rooms.values().stream().mapToInt(Room::heldByFaults).sum();
    }

    /** The whole live view at once, every message (for tests). */
    Map<String, Object> view() {
        return callguide.kit.signal.Json.MAPPER.convertValue(
                callguide.kit.signal.Json.MAPPER.valueToTree(parse(view(0, Integer.MAX_VALUE, true))), Map.class);
    }

    private static com.fasterxml.jackson.databind.JsonNode parse(String json) {
        try {
            return callguide.kit.signal.Json.MAPPER.readTree(json);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The relay is shutting down: every outbox is closed, nobody is told (everyone is leaving). */
    void closeAll() {
        List<Peer> all;
        synchronized (this) {
            all = peers();
            rooms.clear();
            peersByAddress.clear();
            roomsByAddress.clear();
            held.clear();
        }
        all.forEach(peer -> peer.outbox().close("the relay is shutting down"));
    }
}
