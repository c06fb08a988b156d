package callguide.relay;

import callguide.kit.signal.Envelope;
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
 */
final class RoomLog {
    static final int LIMIT = 300;
    private static final int DETAIL = 160;

    private final Deque<Map<String, Object>> entries = new ArrayDeque<>();

    void add(String type, String from, String to, String detail) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("at", System.currentTimeMillis());
        entry.put("type", type);
        entry.put("from", from);
        entry.put("to", to);
        entry.put("detail", detail);
        entries.addLast(entry);
        while (entries.size() > LIMIT) {
            entries.removeFirst();
        }
    }

    List<Map<String, Object>> entries() {
        return new ArrayList<>(entries);
    }

    /**
     * A line about the message for the diagram: the candidate line, the state an {@code x-state}
     * reports, an SDP's first media sections. Peers' text, shown by the page as text only.
     */
    static String detail(Envelope message) {
        JsonNode payload = message.payload();
        if (payload == null || !payload.isObject()) {
            return null;
        }
        String text;
        if (payload.hasNonNull("candidate")) {
            text = payload.get("candidate").asText();
        } else if (payload.hasNonNull("sdp")) {
            text = payload.get("sdp").asText().lines().filter(l -> l.startsWith("m=")).map(l -> l.split(" ")[0])
                    .reduce((a, b) -> a + " " + b).orElse("");
        } else if (message.type().equals("x-state")) {
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
