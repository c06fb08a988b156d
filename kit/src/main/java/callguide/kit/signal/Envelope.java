package callguide.kit.signal;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One relay message, protocol version 1:
 * {@code {"type": "offer", "from": "alice", "to": "bob", "seq": 7, "payload": {...}}}.
 * The relay sets {@code from} and {@code seq}; a client's own values are replaced.
 */
public record Envelope(String type, String from, String to, Long seq, JsonNode payload) {

    /** A message as a peer sends it: the relay fills in {@code from} and {@code seq}. */
    public static Envelope of(String type, Object payload) {
        return new Envelope(type, null, null, null, payload == null ? null : Json.tree(payload));
    }

    public static Envelope to(String to, String type, Object payload) {
        return new Envelope(type, null, to, null, payload == null ? null : Json.tree(payload));
    }

    /**
     * The payload read as {@code type}; a clear {@link IllegalArgumentException} if it does not
     * fit, or if there is none (a message without its payload is never read as null).
     */
    public <T> T payloadAs(Class<T> type) {
        if (payload == null || payload.isNull() || payload.isMissingNode()) {
            throw new IllegalArgumentException(
                    "a " + this.type + " message with no payload: expected a " + type.getSimpleName());
        }
        return Json.convert(payload, type);
    }

    public String toJson() {
        return Json.write(this);
    }

    public static Envelope fromJson(String json) {
        return Json.read(json, Envelope.class);
    }
}
