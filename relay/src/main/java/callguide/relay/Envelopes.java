package callguide.relay;

import callguide.kit.signal.Envelope;
import callguide.kit.signal.ErrorCodes;
import callguide.kit.signal.Json;
import callguide.kit.signal.MessageTypes;
import callguide.kit.signal.Payloads;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What a peer may send, checked in the protocol's order: size, JSON, envelope, type. Routing
 * ({@code to}) and the rate limit come later, in {@link Rooms#send}. Also builds the relay's own
 * messages.
 *
 * <p>A valid message keeps only the envelope's fields: {@code type}, {@code to} and
 * {@code payload}, the payload untouched: the recipient gets its JSON text exactly as the sender
 * wrote it (the relay checks that it is JSON, but does not rewrite it). A client's {@code from} and {@code seq} are
 * dropped here (the relay sets them on delivery), and so is any other top-level field. A JSON
 * {@code null} counts as absent for {@code to}.
 *
 * <p>Two paths: {@link EnvelopeScanner}, one pass over the chars that every ordinary message takes, and the tree,
 * for whatever the scanner declines: it accepts the message after all, or words the exact refusal.
 */
final class Envelopes {
    /** What an id may be; {@link #checkId} tests it without a matcher. */
    static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    /** Strict about trailing garbage: {@code {"type":"offer"} xyz} is not one JSON value. */
    private static final ObjectReader READER =
            Json.MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private static final JsonStringEncoder ESCAPER = JsonStringEncoder.getInstance();

    private Envelopes() {}

    /** A room or peer id: 1 to 64 of {@code A-Z a-z 0-9 _ -}, else {@code bad-id}. */
    static String checkId(String what, String id) {
        if (!isId(id)) {
            throw new Refusal(
                    ErrorCodes.BAD_ID,
                    what + " id must be 1 to 64 of A-Z a-z 0-9 _ -, not " + (id == null ? "missing" : quote(id)));
        }
        return id;
    }

    /** The same test as the pattern {@link #ID}, without a matcher: it runs on every request. */
    private static boolean isId(String id) {
        if (id == null || id.isEmpty() || id.length() > 64) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /** A text message from a WebSocket, validated; its {@code from} and {@code seq} are still to be set. */
    static PeerMessage read(String text, int maxBytes) {
        // A UTF-8 character takes at most 3 bytes per UTF-16 char, so short texts need no counting.
        if (text.length() > maxBytes / 3 && utf8Length(text) > maxBytes) {
            throw tooLarge(maxBytes);
        }
        PeerMessage message = scanned(text, null);
        return message != null ? message : readTree(text);
    }

    /** The body of a POST, validated the same way. */
    static PeerMessage read(byte[] body, int maxBytes) {
        if (body.length > maxBytes) {
            throw tooLarge(maxBytes);
        }
        PeerMessage message = scanned(null, body);
        return message != null ? message : readTree(body);
    }

    /**
     * The fast path, {@link EnvelopeScanner}: null when it does not accept the message. It is held to the tree by
     * its test; should it still trip over something, the tree decides, as for anything else it declines.
     */
    private static PeerMessage scanned(String text, byte[] body) {
        try {
            return text != null ? EnvelopeScanner.scan(text) : EnvelopeScanner.scan(body);
        } catch (RuntimeException bug) {
            return null;
        }
    }

    /** The slow path for a text: the message as a tree, accepted as the fast path would, or the exact refusal. */
    static PeerMessage readTree(String text) {
        try {
            return validate(READER.readTree(text));
        } catch (IOException e) {
            throw notJson(e);
        }
    }

    /** The slow path for a body (in any encoding Jackson detects, a byte order mark skipped). */
    static PeerMessage readTree(byte[] body) {
        try {
            return validate(READER.readTree(body));
        } catch (IOException e) {
            throw notJson(e);
        }
    }

    /** The bytes {@code text} takes in UTF-8, counted without encoding it. */
    private static long utf8Length(String text) {
        long bytes = text.length();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 0x800) {
                bytes += Character.isSurrogate(c) ? 1 : 2; // a pair takes 4 bytes for its 2 chars
            } else if (c >= 0x80) {
                bytes++;
            }
        }
        return bytes;
    }

    /**
     * The slow path: the whole message as a tree, for the exact refusal (or, should the scan have declined, the
     * message).
     */
    private static PeerMessage validate(JsonNode tree) {
        if (tree == null || tree.isMissingNode()) {
            throw new Refusal(
                    ErrorCodes.BAD_JSON,
                    "the message is empty: send one JSON object like {\"type\": \"offer\", \"payload\": {...}}");
        }
        if (!tree.isObject()) {
            throw new Refusal(
                    ErrorCodes.BAD_ENVELOPE,
                    "a message is one JSON object like {\"type\": \"offer\", \"payload\": {...}}, not "
                            + article(tree.getNodeType().name().toLowerCase()));
        }
        JsonNode type = tree.get("type");
        if (type == null || type.isNull()) {
            throw new Refusal(ErrorCodes.BAD_ENVELOPE, "the message has no \"type\"");
        }
        if (!type.isTextual()) {
            throw new Refusal(ErrorCodes.BAD_ENVELOPE, "\"type\" must be a string, not " + quote(type.toString()));
        }
        JsonNode to = tree.get("to");
        if (to != null && !to.isNull() && !to.isTextual()) {
            throw new Refusal(
                    ErrorCodes.BAD_ENVELOPE, "\"to\" must be a peer id (a string), not " + quote(to.toString()));
        }
        if (!MessageTypes.isPeerType(type.asText())) {
            throw new Refusal(
                    ErrorCodes.UNKNOWN_TYPE,
                    "peers send call, accept, decline, offer, answer, candidate, hangup or x-..., not "
                            + quote(type.asText()));
        }
        JsonNode payload = tree.get("payload");
        return new PeerMessage(
                type.asText(),
                to == null || to.isNull() ? null : to.asText(),
                payload == null ? null : Json.write(payload));
    }

    /**
     * What the recipient of {@code message} from {@code from} gets as its {@code seq}th message:
     * {@code {"type":...,"from":...,"to":...,"seq":...,"payload":...}}, in the field order and with the escaping of
     * {@link Envelope#toJson}, the payload's text as sent. One string made, of the exact size, in one copy.
     */
    static String forwarded(PeerMessage message, String from, long seq) {
        String type = escaped(message.type());
        String sender = escaped(from);
        String payload = message.payload();
        if (message.to() == null) {
            return payload == null
                    ? "{\"type\":\"" + type + "\",\"from\":\"" + sender + "\",\"seq\":" + seq + "}"
                    : "{\"type\":\"" + type + "\",\"from\":\"" + sender + "\",\"seq\":" + seq + ",\"payload\":"
                            + payload + "}";
        }
        String to = escaped(message.to());
        return payload == null
                ? "{\"type\":\"" + type + "\",\"from\":\"" + sender + "\",\"to\":\"" + to + "\",\"seq\":" + seq + "}"
                : "{\"type\":\"" + type + "\",\"from\":\"" + sender + "\",\"to\":\"" + to + "\",\"seq\":" + seq
                        + ",\"payload\":" + payload + "}";
    }

    /** {@code text} as it goes between a JSON string's quotes: itself, unless it has a char Jackson escapes. */
    private static String escaped(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == '"' || c == '\\') {
                return new String(ESCAPER.quoteAsString(text));
            }
        }
        return text;
    }

    static Envelope welcome(String room, String peer, List<String> others, String rejoin) {
        return Envelope.of(MessageTypes.WELCOME, new Payloads.Welcome(room, peer, others, rejoin));
    }

    static Envelope peerJoined(String peer) {
        return Envelope.of(MessageTypes.PEER_JOINED, new Payloads.PeerJoined(peer));
    }

    static Envelope peerLeft(String peer, String reason) {
        return Envelope.of(MessageTypes.PEER_LEFT, new Payloads.PeerLeft(peer, reason));
    }

    static Envelope error(Refusal refusal) {
        return Envelope.of(MessageTypes.ERROR, new Payloads.Error(refusal.code(), refusal.getMessage()));
    }

    static Refusal tooLarge(int maxBytes) {
        return new Refusal(ErrorCodes.TOO_LARGE, "a message may be at most " + maxBytes + " bytes");
    }

    private static Refusal notJson(IOException e) {
        String why = e instanceof com.fasterxml.jackson.core.JsonProcessingException j
                ? j.getOriginalMessage()
                : e.getMessage();
        return new Refusal(ErrorCodes.BAD_JSON, "not JSON: " + shorten(String.valueOf(why)));
    }

    private static String article(String noun) {
        return ("aeiou".indexOf(noun.charAt(0)) >= 0 ? "an " : "a ") + noun;
    }

    private static String quote(String text) {
        return "\"" + shorten(text) + "\"";
    }

    private static String shorten(String text) {
        return text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }
}
