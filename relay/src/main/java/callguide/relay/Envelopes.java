package callguide.relay;

import callguide.kit.signal.Envelope;
import callguide.kit.signal.ErrorCodes;
import callguide.kit.signal.Json;
import callguide.kit.signal.MessageTypes;
import callguide.kit.signal.Payloads;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What a peer may send, checked in the protocol's order: size, JSON, envelope, type. Routing
 * ({@code to}) and the rate limit come later, in {@link Rooms#send}. Also builds the relay's own
 * messages.
 *
 * <p>A valid message keeps only the envelope's fields: {@code type}, {@code to} and
 * {@code payload}, the payload untouched. A client's {@code from} and {@code seq} are dropped
 * here (the relay sets them on delivery), and so is any other top-level field. A JSON
 * {@code null} counts as absent for {@code to}.
 */
final class Envelopes {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    /** Strict about trailing garbage: {@code {"type":"offer"} xyz} is not one JSON value. */
    private static final ObjectReader READER = Json.MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private Envelopes() {
    }

    /** A room or peer id: 1 to 64 of {@code A-Z a-z 0-9 _ -}, else {@code bad-id}. */
    static String checkId(String what, String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new Refusal(ErrorCodes.BAD_ID, what + " id must be 1 to 64 of A-Z a-z 0-9 _ -, not "
                    + (id == null ? "missing" : quote(id)));
        }
        return id;
    }

    /** A text message from a WebSocket, validated; its {@code from} and {@code seq} are still to be set. */
    static Envelope read(String text, int maxBytes) {
        // A UTF-8 character takes at most 3 bytes per UTF-16 char, so short texts need no counting.
        if (text.length() > maxBytes / 3 && text.getBytes(StandardCharsets.UTF_8).length > maxBytes) {
            throw tooLarge(maxBytes);
        }
        try {
            return validate(READER.readTree(text));
        } catch (IOException e) {
            throw notJson(e);
        }
    }

    /** The body of a POST, validated the same way. */
    static Envelope read(byte[] body, int maxBytes) {
        if (body.length > maxBytes) {
            throw tooLarge(maxBytes);
        }
        try {
            return validate(READER.readTree(body));
        } catch (IOException e) {
            throw notJson(e);
        }
    }

    private static Envelope validate(JsonNode tree) {
        if (tree == null || tree.isMissingNode()) {
            throw new Refusal(ErrorCodes.BAD_JSON, "the message is empty: send one JSON object like {\"type\": \"offer\", \"payload\": {...}}");
        }
        if (!tree.isObject()) {
            throw new Refusal(ErrorCodes.BAD_ENVELOPE, "a message is one JSON object like {\"type\": \"offer\", \"payload\": {...}}, not "
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
            throw new Refusal(ErrorCodes.BAD_ENVELOPE, "\"to\" must be a peer id (a string), not " + quote(to.toString()));
        }
        if (!MessageTypes.isPeerType(type.asText())) {
            throw new Refusal(ErrorCodes.UNKNOWN_TYPE, "peers send call, accept, decline, offer, answer, candidate, hangup or x-..., not "
                    + quote(type.asText()));
        }
        return new Envelope(type.asText(), null, to == null || to.isNull() ? null : to.asText(), null, tree.get("payload"));
    }

    static Envelope welcome(String room, String peer, List<String> others) {
        return Envelope.of(MessageTypes.WELCOME, new Payloads.Welcome(room, peer, others));
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

    private static Refusal tooLarge(int maxBytes) {
        return new Refusal(ErrorCodes.TOO_LARGE, "a message may be at most " + maxBytes + " bytes");
    }

    private static Refusal notJson(IOException e) {
        String why = e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
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
