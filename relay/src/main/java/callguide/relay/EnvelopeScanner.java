package callguide.relay;

import callguide.kit.signal.Json;
import callguide.kit.signal.MessageTypes;
import com.fasterxml.jackson.core.StreamReadConstraints;

/**
 * The forwarding path's reading of a message: one pass over its chars that checks the whole of it is one JSON value
 * (RFC 8259: strings with valid escapes and no raw control characters, numbers by the grammar, the three literals,
 * nesting bounded) and keeps only what forwarding needs: the {@code type}, the {@code to} and the payload's text as
 * sent. It builds no tree and decodes no string: the only objects it makes are those results.
 *
 * <p>It answers null for whatever it does not accept, and {@link Envelopes} then reads the message as a tree, which
 * accepts it or gives the exact refusal. So it may be stricter than Jackson, never looser: it declines, rather than
 * decode, an escape in a top-level field name or in {@code type} or {@code to} (no client writes one), a byte order
 * mark, a number or string longer than Jackson's limits allow, nesting deeper than {@link #MAX_DEPTH} levels. Like
 * the tree, the last of duplicate fields counts. {@code EnvelopeScannerTest} holds it to the tree on thousands of
 * messages, valid and broken.
 */
final class EnvelopeScanner {
    private static final int FAIL = -1;
    /** The tree's own limits (Jackson's defaults): a message beyond them is the tree's to refuse. */
    private static final StreamReadConstraints LIMITS = Json.MAPPER.getFactory().streamReadConstraints();

    /**
     * How deep the scan follows containers: it recurses, one frame or two a level, so it stops far short of what a
     * small thread stack holds (256 KiB overflows at Jackson's 1000). Deeper messages are the tree's, which does not
     * recurse, and refuses them beyond its own limit. Signalling nests a few levels.
     */
    static final int MAX_DEPTH = Math.min(LIMITS.getMaxNestingDepth(), 64);

    private static final int MAX_NUMBER = LIMITS.getMaxNumberLength();
    private static final int MAX_NAME = LIMITS.getMaxNameLength();
    private static final int MAX_STRING = LIMITS.getMaxStringLength();
    /** The protocol's own types, in an array: walking a set would make an iterator on every message. */
    private static final String[] KNOWN_TYPES = MessageTypes.FROM_PEERS.toArray(String[]::new);

    private EnvelopeScanner() {}

    /**
     * A POST body: decoded once ({@link Utf8#decoded}), then scanned as text. A body that is not UTF-8 is the tree's
     * to judge (it words the refusal); so is one in UTF-16 or with a byte order mark, which the scan declines (Jackson
     * reads those).
     */
    static PeerMessage scan(byte[] body) {
        String text = Utf8.decoded(body);
        return text == null ? null : scan(text);
    }

    /** A WebSocket text: the envelope's three fields, or null when the scan does not accept it (see above). */
    static PeerMessage scan(String text) {
        int n = text.length();
        int i = space(text, 0, n);
        if (i >= n || text.charAt(i) != '{') {
            return null;
        }
        int typeStart = FAIL;
        int typeEnd = FAIL;
        int toStart = FAIL;
        int toEnd = FAIL;
        int payloadStart = FAIL;
        int payloadEnd = FAIL;
        i = space(text, i + 1, n);
        if (i < n && text.charAt(i) == '}') {
            return null; // no type
        }
        while (true) {
            int nameStart = i + 1;
            i = plainString(text, i, n);
            if (i == FAIL) {
                return null;
            }
            int nameLength = i - 1 - nameStart;
            i = space(text, i, n);
            if (i >= n || text.charAt(i) != ':') {
                return null;
            }
            i = space(text, i + 1, n);
            if (i >= n) {
                return null;
            }
            int valueStart = i;
            if (nameLength == 4 && text.startsWith("type", nameStart)) {
                i = plainString(text, i, n);
                typeStart = valueStart + 1;
                typeEnd = i - 1;
            } else if (nameLength == 2 && text.startsWith("to", nameStart)) {
                if (text.charAt(i) == 'n') {
                    i = literal(text, i, "null");
                    toStart = FAIL; // null counts as absent, as in the tree
                } else {
                    i = plainString(text, i, n);
                    toStart = valueStart + 1;
                    toEnd = i - 1;
                }
            } else {
                i = value(text, i, n, 1);
                if (nameLength == 7 && text.startsWith("payload", nameStart)) {
                    payloadStart = valueStart;
                    payloadEnd = i;
                }
            }
            if (i == FAIL) {
                return null;
            }
            i = space(text, i, n);
            if (i >= n) {
                return null;
            }
            char c = text.charAt(i);
            if (c == '}') {
                break;
            }
            if (c != ',') {
                return null;
            }
            i = space(text, i + 1, n);
        }
        if (space(text, i + 1, n) != n || typeStart == FAIL) {
            return null; // something after the object, or no type
        }
        String type = peerType(text, typeStart, typeEnd);
        if (type == null) {
            return null;
        }
        return new PeerMessage(
                type,
                toStart == FAIL ? null : text.substring(toStart, toEnd),
                payloadStart == FAIL ? null : text.substring(payloadStart, payloadEnd));
    }

    /**
     * The type between {@code start} and {@code end}: one of the protocol's own constants (so a known type costs
     * nothing), a new string for an extension, or null for a type peers may not send (the tree words that refusal).
     */
    private static String peerType(String text, int start, int end) {
        int length = end - start;
        for (String known : KNOWN_TYPES) {
            if (known.length() == length && text.startsWith(known, start)) {
                return known;
            }
        }
        String type =
                length > MessageTypes.EXTENSION_PREFIX.length() && text.startsWith(MessageTypes.EXTENSION_PREFIX, start)
                        ? text.substring(start, end)
                        : null;
        return MessageTypes.isPeerType(type) ? type : null;
    }

    /** Past JSON's whitespace (space, tab, line feed, carriage return) from {@code i}. */
    private static int space(String text, int i, int n) {
        while (i < n) {
            char c = text.charAt(i);
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                break;
            }
            i++;
        }
        return i;
    }

    /** Past the value at {@code i}, inside {@code depth} containers; FAIL if there is no valid one. */
    private static int value(String text, int i, int n, int depth) {
        if (i >= n) {
            return FAIL;
        }
        char c = text.charAt(i);
        return switch (c) {
            case '"' -> string(text, i, n, MAX_STRING);
            case '{' -> object(text, i, n, depth + 1);
            case '[' -> array(text, i, n, depth + 1);
            case 't' -> literal(text, i, "true");
            case 'f' -> literal(text, i, "false");
            case 'n' -> literal(text, i, "null");
            default -> c == '-' || c >= '0' && c <= '9' ? number(text, i, n) : FAIL;
        };
    }

    /** Past the object opening at {@code i}, the {@code depth}th container; FAIL if deeper than the scan goes. */
    private static int object(String text, int i, int n, int depth) {
        if (depth > MAX_DEPTH) {
            return FAIL;
        }
        i = space(text, i + 1, n);
        if (i < n && text.charAt(i) == '}') {
            return i + 1;
        }
        while (true) {
            if (i >= n || text.charAt(i) != '"') {
                return FAIL;
            }
            i = string(text, i, n, MAX_NAME);
            if (i == FAIL) {
                return FAIL;
            }
            i = space(text, i, n);
            if (i >= n || text.charAt(i) != ':') {
                return FAIL;
            }
            i = value(text, space(text, i + 1, n), n, depth);
            if (i == FAIL) {
                return FAIL;
            }
            i = space(text, i, n);
            if (i >= n) {
                return FAIL;
            }
            char c = text.charAt(i);
            if (c == '}') {
                return i + 1;
            }
            if (c != ',') {
                return FAIL;
            }
            i = space(text, i + 1, n);
        }
    }

    /** Past the array opening at {@code i}, the {@code depth}th container. */
    private static int array(String text, int i, int n, int depth) {
        if (depth > MAX_DEPTH) {
            return FAIL;
        }
        i = space(text, i + 1, n);
        if (i < n && text.charAt(i) == ']') {
            return i + 1;
        }
        while (true) {
            i = value(text, i, n, depth);
            if (i == FAIL) {
                return FAIL;
            }
            i = space(text, i, n);
            if (i >= n) {
                return FAIL;
            }
            char c = text.charAt(i);
            if (c == ']') {
                return i + 1;
            }
            if (c != ',') {
                return FAIL;
            }
            i = space(text, i + 1, n);
        }
    }

    /**
     * Past the string opening at {@code i}: no raw control character, only JSON's escapes, at most {@code max} chars
     * as written (never fewer than Jackson counts once decoded).
     */
    private static int string(String text, int i, int n, int max) {
        int start = i + 1;
        i = start;
        while (i < n) {
            char c = text.charAt(i);
            while (c >= 0x20 && c != '"' && c != '\\') { // the plain run between escapes: most of an SDP
                if (++i >= n) {
                    return FAIL;
                }
                c = text.charAt(i);
            }
            if (c == '"') {
                return i - start <= max ? i + 1 : FAIL;
            }
            if (c != '\\' || ++i >= n) {
                return FAIL; // a raw control character, or a backslash at the very end
            }
            switch (text.charAt(i)) {
                case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> {}
                case 'u' -> {
                    if (i + 4 >= n
                            || !hex(text.charAt(i + 1))
                            || !hex(text.charAt(i + 2))
                            || !hex(text.charAt(i + 3))
                            || !hex(text.charAt(i + 4))) {
                        return FAIL;
                    }
                    i += 4;
                }
                default -> {
                    return FAIL;
                }
            }
            i++;
        }
        return FAIL;
    }

    /** Past a string at {@code i} with no escape at all (so its text is its value), within Jackson's name limit. */
    private static int plainString(String text, int i, int n) {
        if (i >= n || text.charAt(i) != '"') {
            return FAIL;
        }
        int start = i + 1;
        for (i = start; i < n; i++) {
            char c = text.charAt(i);
            if (c == '"') {
                return i - start <= MAX_NAME ? i + 1 : FAIL;
            }
            if (c == '\\' || c < 0x20) {
                return FAIL;
            }
        }
        return FAIL;
    }

    private static boolean hex(char c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
    }

    /** Past {@code word} at {@code i}; what follows is checked by whoever reads on. */
    private static int literal(String text, int i, String word) {
        return text.startsWith(word, i) ? i + word.length() : FAIL;
    }

    /** Past the number at {@code i}: {@code -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?}. */
    private static int number(String text, int i, int n) {
        int start = i;
        if (text.charAt(i) == '-' && ++i >= n) {
            return FAIL;
        }
        char c = text.charAt(i);
        if (c == '0') {
            i++;
        } else if (c >= '1' && c <= '9') {
            i = digits(text, i + 1, n);
        } else {
            return FAIL;
        }
        if (i < n && text.charAt(i) == '.') {
            int end = digits(text, i + 1, n);
            if (end == i + 1) {
                return FAIL;
            }
            i = end;
        }
        if (i < n && (text.charAt(i) == 'e' || text.charAt(i) == 'E')) {
            i++;
            if (i < n && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
                i++;
            }
            int end = digits(text, i, n);
            if (end == i) {
                return FAIL;
            }
            i = end;
        }
        return i - start <= MAX_NUMBER ? i : FAIL;
    }

    private static int digits(String text, int i, int n) {
        while (i < n && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
            i++;
        }
        return i;
    }
}
