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
 * {@value #LIMIT} entries. Guarded by the room's lock.
 *
 * <p>Forwarding is the hot path and the live view is rarely open, so a forwarded message's detail
 * is worked out when the view asks for it, from the payload's text (a small payload is kept as it
 * is; a large one, an SDP say, gets its detail at once rather than be kept whole).
 */
final class RoomLog {
    static final int LIMIT = 300;
    private static final int DETAIL = 160;
    /** Payloads up to this many chars are kept for a later detail; larger ones are summed up at once. */
    private static final int KEEP = 384;

    /** One line of the diagram; {@code payload} is the forwarded message's payload text while its detail is still to be worked out. */
    private record Entry(long at, String type, String from, String to, String detail, String payload) {
    }

    private final Deque<Entry> entries = new ArrayDeque<>();

    void add(String type, String from, String to, String detail) {
        append(new Entry(System.currentTimeMillis(), type, from, to, detail, null));
    }

    /** A forwarded message, {@code payload} its JSON text or null. */
    void forwarded(String type, String from, String to, String payload) {
        if (payload == null || payload.length() > KEEP) {
            append(new Entry(System.currentTimeMillis(), type, from, to, detail(type, payload), null));
        } else {
            append(new Entry(System.currentTimeMillis(), type, from, to, null, payload));
        }
    }

    private void append(Entry entry) {
        entries.addLast(entry);
        while (entries.size() > LIMIT) {
            entries.removeFirst();
        }
    }

    List<Map<String, Object>> entries() {
        List<Map<String, Object>> out = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("at", e.at());
            entry.put("type", e.type());
            entry.put("from", e.from());
            entry.put("to", e.to());
            entry.put("detail", e.payload() != null ? detail(e.type(), e.payload()) : e.detail());
            out.add(entry);
        }
        return out;
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
            text = payload.get("sdp").asText().lines().filter(l -> l.startsWith("m=")).map(l -> l.split(" ")[0])
                    .reduce((a, b) -> a + " " + b).orElse("");
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
