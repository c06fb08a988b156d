package callguide.relay;

import callguide.kit.signal.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What passed through one room, for the live view's sequence diagram: joins, every forwarded
 * message (its type, sender, recipient and a short detail), departures. Bounded: the newest
 * {@value #LIMIT} entries. Each entry carries a number from the relay-wide sequence, so the live
 * view fetches only what is new since its last look. Guarded by the room's lock.
 *
 * <p>Forwarding is the hot path and the live view is rarely open, so logging a forwarded message
 * only keeps a reference to its payload's text (the string read from the sender, not a copy): its
 * detail is worked out when the view first asks for it, and then kept instead. What the payloads
 * kept this way may add up to is bounded too, {@value #KEPT_CHARS} chars a room, a whole call's
 * offer, answer and candidates, and {@value #KEPT_IN_ALL} chars for all the relay's rooms together;
 * beyond either the room's oldest go, and their entries are shown without a detail (a room the view
 * watches has had them worked out by then). The relay-wide bound keeps payloads short-lived under a
 * flood of offers: held for seconds, every one of them outlived a young collection and was copied
 * to the old generation, and the full collections that then followed were the relay's p99 (76 ms
 * paced offers at 500 rooms with a per-room bound alone, bench relay --vs peerjs).
 */
final class RoomLog {
    static final int LIMIT = 200;
    private static final int DETAIL = 160;
    /**
     * Payload chars a room's log keeps for details still to be worked out: a whole call's, and less than its 200
     * entries of up to 384 chars each kept before.
     */
    static final int KEPT_CHARS = 64 * 1024;
    /** Payload chars all the rooms of a relay keep together: a classroom's calls (30 of ~20 Ki each), not a flood's. */
    static final long KEPT_IN_ALL = 2L * 1024 * 1024;

    /**
     * One line of the diagram. Its detail is given, or worked out from {@code payload}, which it then lets go. A slot
     * of the ring: written over when the entry it holds is the oldest and a new one comes, never made again, so a busy
     * room logs without allocating (entries made per message lived for seconds, longer than a young collection, and
     * were most of what the collector copied under long-polling load at 500 rooms).
     */
    private static final class Entry {
        long seq;
        long at;
        String type;
        String from;
        String to;
        String fault;
        String detail;
        /** The forwarded message's payload text while its detail is still to be worked out; null after. */
        String payload;

        void set(long seq, String type, String from, String to, String detail, String payload, String fault) {
            this.seq = seq;
            this.at = System.currentTimeMillis();
            this.type = type;
            this.from = from;
            this.to = to;
            this.detail = detail;
            this.payload = payload;
            this.fault = fault;
        }
    }

    /** An IPv4 address in any other detail (an x-state naming the selected pair, say). */
    private static final java.util.regex.Pattern IPV4 =
            java.util.regex.Pattern.compile("\\b(?:\\d{1,3}\\.){3}\\d{1,3}\\b");

    /**
     * The newest {@value #LIMIT} entries, in a ring: the {@code k}th entry ever added is at {@code k % LIMIT}. A ring
     * rather than a deque, so adding one touches one slot, the one the oldest leaves.
     */
    private final Entry[] ring = new Entry[LIMIT];
    /** Entries ever added; the ring holds the last {@code min(count, LIMIT)}. */
    private long count;
    /** Where the next entry goes: {@code count % LIMIT}, kept so adding one needs no division. */
    private int next;
    /** No entry added before this one (counting from 0) holds a payload any more. */
    private long oldestHeld;
    /** The chars of the payloads held. */
    private long kept;

    private final java.util.function.LongSupplier sequence;
    /** The payload chars all the relay's room logs hold, this one's among them. */
    private final java.util.concurrent.atomic.AtomicLong keptInAll;

    private long last;

    /** {@code sequence}: the relay-wide numbering of live view entries; {@code keptInAll}: shared by its rooms. */
    RoomLog(java.util.function.LongSupplier sequence, java.util.concurrent.atomic.AtomicLong keptInAll) {
        this.sequence = sequence;
        this.keptInAll = keptInAll;
    }

    RoomLog() {
        this(
                new java.util.concurrent.atomic.AtomicLong()::incrementAndGet,
                new java.util.concurrent.atomic.AtomicLong());
    }

    void add(String type, String from, String to, String detail) {
        long seq = sequence.getAsLong();
        append(seq).set(seq, type, from, to, detail, null, null);
    }

    /**
     * A forwarded message, {@code payload} its JSON text or null; {@code fault} what the relay's faults did
     * to it (null: nothing). Costs an entry and a reference, whatever the payload.
     */
    void forwarded(String type, String from, String to, String payload, String fault) {
        long seq = sequence.getAsLong();
        append(seq).set(seq, type, from, to, null, payload, fault);
        if (payload != null) {
            kept += payload.length();
            if (keptInAll.addAndGet(payload.length()) > KEPT_IN_ALL || kept > KEPT_CHARS) {
                oldestHeld = Math.max(oldestHeld, count - Math.min(count, LIMIT));
                while ((kept > KEPT_CHARS || keptInAll.get() > KEPT_IN_ALL) && oldestHeld < count) {
                    letGo(ring[(int) (oldestHeld++ % LIMIT)]);
                }
            }
        }
    }

    /** The slot of the next entry, numbered {@code seq} (the oldest one's, let go of), for the caller to set. */
    private Entry append(long seq) {
        Entry slot = ring[next];
        if (slot == null) {
            slot = ring[next] = new Entry();
        } else {
            letGo(slot);
        }
        next = next + 1 == LIMIT ? 0 : next + 1;
        count++;
        last = seq;
        return slot;
    }

    /** The entries the log holds, oldest first. */
    private Iterable<Entry> inOrder() {
        long first = count - Math.min(count, LIMIT);
        return () -> java.util.stream.LongStream.range(first, count)
                .mapToObj(k -> ring[(int) (k % LIMIT)])
                .iterator();
    }

    /** The entry keeps no payload any more. */
    private void letGo(Entry entry) {
        if (entry.payload != null) {
            kept -= entry.payload.length();
            keptInAll.addAndGet(-entry.payload.length());
            entry.payload = null;
        }
    }

    /** Every payload let go (the room is gone from the view); the entries stay, with the details worked out. */
    void forget() {
        for (Entry entry : inOrder()) {
            letGo(entry);
        }
        oldestHeld = count;
    }

    /** Payload chars held right now (for tests). */
    long keptChars() {
        return kept;
    }

    /** The number of the oldest entry above {@code since}, or 0 if there is none. */
    long firstAfter(long since) {
        if (last <= since) {
            return 0;
        }
        for (Entry e : inOrder()) {
            if (e.seq > since) {
                return e.seq;
            }
        }
        return 0;
    }

    /** The sequence number of the newest entry (0 before any). */
    long last() {
        return last;
    }

    /**
     * The entries numbered above {@code since}, oldest first; with candidate addresses redacted unless {@code
     * addresses}.
     */
    List<Map<String, Object>> entries(long since, boolean addresses) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Entry e : inOrder()) {
            if (e.seq <= since) {
                continue;
            }
            if (e.payload != null) {
                e.detail = detail(e.type, e.payload); // once: the next look reuses it
                letGo(e);
            }
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("seq", e.seq);
            entry.put("at", e.at);
            entry.put("type", e.type);
            entry.put("from", e.from);
            entry.put("to", e.to);
            String detail = e.detail;
            entry.put(
                    "detail",
                    addresses || detail == null
                            ? detail
                            : e.type.equals("candidate")
                                    ? redacted(detail)
                                    : IPV4.matcher(detail).replaceAll("[address]"));
            if (e.fault != null) {
                entry.put("fault", e.fault);
            }
            out.add(entry);
        }
        return out;
    }

    List<Map<String, Object>> entries() {
        return entries(0, true);
    }

    /**
     * A candidate line with its address and port, and any {@code raddr}/{@code rport}, replaced:
     * {@code candidate:1 1 udp 2122 [address] [port] typ srflx raddr [address] rport [port]}.
     */
    static String redacted(String candidate) {
        String[] fields = candidate.split(" ");
        if (fields.length > 5) {
            fields[4] = "[address]";
            fields[5] = "[port]";
        }
        for (int i = 6; i + 1 < fields.length; i++) {
            if (fields[i].equals("raddr")) {
                fields[i + 1] = "[address]";
            } else if (fields[i].equals("rport")) {
                fields[i + 1] = "[port]";
            }
        }
        return String.join(" ", fields);
    }

    /**
     * A line about the message for the diagram: the candidate line, the state an {@code x-state}
     * reports, an SDP's first media sections. Peers' text, shown by the page as text only.
     */
    static String detail(String type, String payloadJson) {
        if (payloadJson == null) {
            return null;
        }
        JsonNode payload;
        try {
            payload = Json.MAPPER.readTree(payloadJson);
        } catch (java.io.IOException | RuntimeException e) {
            return null; // checked on the way in: cannot happen
        }
        return detail(type, payload);
    }

    static String detail(String type, JsonNode payload) {
        if (payload == null || !payload.isObject()) {
            return null;
        }
        String text;
        if (payload.hasNonNull("candidate")) {
            text = payload.get("candidate").asText();
        } else if (payload.hasNonNull("sdp")) {
            text = payload.get("sdp")
                    .asText()
                    .lines()
                    .filter(l -> l.startsWith("m="))
                    .map(l -> l.split(" ")[0])
                    .reduce((a, b) -> a + " " + b)
                    .orElse("");
        } else if (type.equals("x-state")) {
            text = payload.path("kind").asText("") + " " + payload.path("value").asText("");
        } else {
            text = payload.size() == 0 ? null : payload.toString();
        }
        if (text == null) {
            return null;
        }
        text = text.strip();
        return text.length() > DETAIL ? text.substring(0, DETAIL) + "..." : text;
    }
}
