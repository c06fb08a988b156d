package callguide.relay;

import callguide.kit.signal.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What passed through one room, for the live view's sequence diagram: joins, every forwarded
 * message (its type, sender, recipient and a short detail), departures. Bounded: the newest
 * {@value #LIMIT} entries. Each entry carries a number from the relay-wide sequence, so the live
 * view fetches only what is new since its last look. Guarded by the room's lock.
 *
 * <p>Forwarding is the hot path and the live view is rarely open, so a forwarded message's detail
 * is worked out when the view asks for it, from the payload's text (a small payload is kept as it
 * is; a large one, an SDP say, gets its detail at once rather than be kept whole).
 */
final class RoomLog {
    static final int LIMIT = 200;
    private static final int DETAIL = 160;
    /** Payloads up to this many chars are kept for a later detail; larger ones are summed up at once. */
    private static final int KEEP = 384;

    /**
     * One line of the diagram; {@code payload} is the forwarded message's payload text while its detail is still to be
     * worked out.
     */
    private record Entry(
            long seq, long at, String type, String from, String to, String detail, String payload, String fault) {}

    /** An IPv4 address in any other detail (an x-state naming the selected pair, say). */
    private static final java.util.regex.Pattern IPV4 =
            java.util.regex.Pattern.compile("\\b(?:\\d{1,3}\\.){3}\\d{1,3}\\b");

    private final Deque<Entry> entries = new ArrayDeque<>();
    private final java.util.function.LongSupplier sequence;
    private long last;

    /** {@code sequence}: the relay-wide numbering of live view entries. */
    RoomLog(java.util.function.LongSupplier sequence) {
        this.sequence = sequence;
    }

    RoomLog() {
        this(new java.util.concurrent.atomic.AtomicLong()::incrementAndGet);
    }

    void add(String type, String from, String to, String detail) {
        append(type, from, to, detail, null, null);
    }

    /**
     * A forwarded message, {@code payload} its JSON text or null; {@code fault} what the relay's faults did
     * to it (null: nothing).
     */
    void forwarded(String type, String from, String to, String payload, String fault) {
        if (payload == null || payload.length() > KEEP) {
            append(type, from, to, detail(type, payload), null, fault);
        } else {
            append(type, from, to, null, payload, fault);
        }
    }

    private void append(String type, String from, String to, String detail, String payload, String fault) {
        last = sequence.getAsLong();
        entries.addLast(new Entry(last, System.currentTimeMillis(), type, from, to, detail, payload, fault));
        while (entries.size() > LIMIT) {
            entries.removeFirst();
        }
    }

    /** The number of the oldest entry above {@code since}, or 0 if there is none. */
    long firstAfter(long since) {
        if (last <= since) {
            return 0;
        }
        for (Entry e : entries) {
            if (e.seq() > since) {
                return e.seq();
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
        for (Entry e : entries) {
            if (e.seq() <= since) {
                continue;
            }
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("seq", e.seq());
            entry.put("at", e.at());
            entry.put("type", e.type());
            entry.put("from", e.from());
            entry.put("to", e.to());
            String detail = e.payload() != null ? detail(e.type(), e.payload()) : e.detail();
            entry.put(
                    "detail",
                    addresses || detail == null
                            ? detail
                            : e.type().equals("candidate")
                                    ? redacted(detail)
                                    : IPV4.matcher(detail).replaceAll("[address]"));
            if (e.fault() != null) {
                entry.put("fault", e.fault());
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
