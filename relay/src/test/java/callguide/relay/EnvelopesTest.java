package callguide.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import callguide.kit.signal.Envelope;
import callguide.kit.signal.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Envelopes#read} forwards the payload's text without a tree: what the recipient gets must
 * be what writing the tree gave (byte for byte for a compact payload, the same JSON otherwise),
 * and every message the tree refused must still be refused with the same code.
 */
@DisplayName("Envelopes, read without a tree")
class EnvelopesTest {
    private static final int MAX = 64 * 1024;

    /** What the relay sent before: the envelope written by Jackson from the tree. */
    private static String viaTree(String frame, String from, long seq) throws Exception {
        JsonNode tree = Json.MAPPER.readTree(frame);
        JsonNode to = tree.get("to");
        return new Envelope(
                        tree.get("type").asText(),
                        from,
                        to == null || to.isNull() ? null : to.asText(),
                        seq,
                        tree.get("payload"))
                .toJson();
    }

    private static String viaScan(PeerMessage message, String from, long seq) {
        return Envelopes.forwarded(message, from, seq);
    }

    private static void same(String frame) throws Exception {
        String expected = viaTree(frame, "alice_1", 42);
        String fromText = viaScan(Envelopes.read(frame, MAX), "alice_1", 42);
        String fromBytes = viaScan(Envelopes.read(frame.getBytes(StandardCharsets.UTF_8), MAX), "alice_1", 42);
        assertThat(Json.MAPPER.readTree(fromText))
                .as("the envelope forwarded for %s", frame)
                .isEqualTo(Json.MAPPER.readTree(expected));
        assertThat(fromBytes)
                .as("a POST body and a WebSocket text give the same envelope: %s", frame)
                .isEqualTo(fromText);
        // Written compactly by Jackson, as the kit, the browser and the tests do: byte for byte the same.
        String compact = Json.MAPPER.writeValueAsString(Json.MAPPER.readTree(frame));
        assertThat(viaScan(Envelopes.read(compact, MAX), "alice_1", 42))
                .as("compact %s", compact)
                .isEqualTo(viaTree(compact, "alice_1", 42));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"type\":\"offer\",\"payload\":{\"type\":\"offer\",\"sdp\":\"v=0\\r\\no=- 1 2 IN IP4 "
                        + "127.0.0.1\\r\\n\"}}",
                "{\"type\":\"candidate\",\"to\":\"bob\","
                        + "\"payload\":{\"candidate\":\"c\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0}}",
                "{\"type\":\"candidate\",\"to\":null,\"payload\":{\"candidate\":\"c\"}}",
                "{\"type\":\"hangup\"}",
                "{\"type\":\"hangup\",\"payload\":null}",
                "{\"type\":\"x-n\",\"payload\":12345678901234567890}",
                "{\"type\":\"x-n\",\"payload\":-3e7}",
                "{\"type\":\"x-n\",\"payload\":2.50}",
                "{\"type\":\"x-n\",\"payload\":0}",
                "{\"type\":\"x-b\",\"payload\":true}",
                "{\"type\":\"x-s\",\"payload\":\"h\\u00e9llo \\ud83d\\ude00 \\\"q\\\" \\/\"}",
                "{\"type\":\"x-a\",\"payload\":[1,[2,{\"a\":[]}],{},\"]\"]}",
                "{\"type\":\"offer\",\"from\":\"mallory\",\"seq\":999,\"extra\":{\"payload\":1},"
                        + "\"payload\":{\"nested\":{\"n\":[1,2.5,-3e7,null,true]}}}",
                "{\"payload\":{\"first\":1},\"type\":\"offer\",\"payload\":{\"second\":2}}",
                "{\"type\":\"dance\",\"type\":\"offer\"}",
                "{\"type\":7,\"type\":\"offer\",\"to\":[1],\"to\":\"bob\"}",
                "  {\"type\" : \"answer\" ,\n \"payload\" : { \"sdp\" : \"v=0\" } }  ",
                "{\"type\":\"x-\\\"quoted\\\"\\u0001\\u2028é\",\"payload\":{}}",
                "{\"type\":\"x-state\",\"payload\":{\"kind\":\"ice\",\"value\":\"connected\"}}",
                "{\"type\":\"x-u\",\"payload\":{\"é\":\"ü😀\"}}",
            })
    @DisplayName("forwards the same envelope as writing the tree did")
    void sameAsTree(String frame) throws Exception {
        same(frame);
    }

    @Test
    @DisplayName("forwards a large payload (read through a Reader) and a body with a byte order mark or in UTF-16 the "
            + "same way")
    void largeAndOddlyEncoded() throws Exception {
        same("{\"type\":\"offer\",\"payload\":{\"type\":\"offer\",\"sdp\":\"" + "m=audio 9 UDP\\r\\n".repeat(3000)
                + "\"}}");
        String frame = "{\"type\":\"x-u\",\"to\":\"bob\",\"payload\":{\"text\":\"h\u00e9llo \ud83d\ude00\"}}";
        String expected = viaTree(frame, "alice_1", 3);
        byte[] utf8 = frame.getBytes(StandardCharsets.UTF_8);
        byte[] withBom = withBom(utf8);
        for (byte[] body : List.of(
                withBom, frame.getBytes(StandardCharsets.UTF_16BE), frame.getBytes(StandardCharsets.UTF_16LE))) {
            String got = viaScan(Envelopes.read(body, MAX), "alice_1", 3);
            assertThat(Json.MAPPER.readTree(got)).isEqualTo(Json.MAPPER.readTree(expected));
        }
    }

    @Test
    @DisplayName("forwards the same envelope as the tree for many random payloads")
    void randomPayloads() throws Exception {
        Random random = new Random(7);
        for (int i = 0; i < 2000; i++) {
            ObjectNode envelope = JsonNodeFactory.instance.objectNode();
            envelope.put(
                    "type",
                    List.of("offer", "answer", "candidate", "x-state", "x-r").get(random.nextInt(5)));
            if (random.nextBoolean()) {
                envelope.put("to", "bob");
            }
            if (random.nextInt(5) > 0) {
                envelope.set("payload", randomValue(random, 0));
            }
            same(Json.MAPPER.writeValueAsString(envelope));
        }
    }

    static JsonNode randomValue(Random random, int depth) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        switch (depth > 3 ? random.nextInt(6) : random.nextInt(8)) {
            case 0:
                return f.nullNode();
            case 1:
                return f.booleanNode(random.nextBoolean());
            case 2:
                return f.numberNode(random.nextLong());
            case 3:
                return f.numberNode(random.nextDouble() * Math.pow(10, random.nextInt(40) - 20));
            case 4:
                return f.numberNode(random.nextInt(100));
            case 5: {
                StringBuilder s = new StringBuilder();
                for (int i = random.nextInt(12); i > 0; i--) {
                    s.append((char) (random.nextInt(4) == 0 ? random.nextInt(0x3000) : 0x20 + random.nextInt(0x5f)));
                }
                return f.textNode(s.toString().replaceAll("[\\uD800-\\uDFFF]", "x"));
            }
            case 6: {
                var array = f.arrayNode();
                for (int i = random.nextInt(4); i > 0; i--) {
                    array.add(randomValue(random, depth + 1));
                }
                return array;
            }
            default: {
                ObjectNode object = f.objectNode();
                for (int i = random.nextInt(4); i > 0; i--) {
                    object.set(
                            List.of("candidate", "sdp", "kind", "value", "a", "é")
                                            .get(random.nextInt(6))
                                    + i,
                            randomValue(random, depth + 1));
                }
                return object;
            }
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "hello",
                "{\"type\":\"offer\"",
                "{\"type\":\"offer\"} xyz",
                "",
                "   ",
                "{\"type\":\"offer\",}",
                "{\"type\":\"offer\",\"payload\":{\"a\":1}",
                "{\"type\":\"offer\",\"payload\":[1,2}",
                "{\"type\":\"offer\",\"payload\":\"\\q\"}",
                "{\"type\":\"offer\",\"payload\":tru}",
                "{\"type\":\"offer\",\"payload\":01}",
                "{\"type\":\"offer\"}{}"
            })
    @DisplayName("refuses what is not one JSON value with bad-json")
    void badJson(String frame) {
        assertThat(catchThrowableOfType(Refusal.class, () -> Envelopes.read(frame, MAX))
                        .code())
                .as(frame)
                .isEqualTo("bad-json");
        assertThat(catchThrowableOfType(
                                Refusal.class, () -> Envelopes.read(frame.getBytes(StandardCharsets.UTF_8), MAX))
                        .code())
                .as(frame)
                .isEqualTo("bad-json");
    }

    @Test
    @DisplayName("refuses a POST body that is not UTF-8 with bad-json, in Jackson's words")
    void notUtf8() {
        byte[] body = {'{', '"', 't', 'y', 'p', 'e', '"', ':', '"', 'x', '-', (byte) 0xC3, (byte) 0x28, '"', '}'};
        assertThatThrownBy(() -> Envelopes.read(body, MAX))
                .isInstanceOf(Refusal.class)
                .hasMessageStartingWith("not JSON: Invalid UTF-8 middle byte 0x28")
                .extracting(e -> ((Refusal) e).code())
                .isEqualTo("bad-json");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "[{\"type\":\"offer\"}]",
                "\"offer\"",
                "42",
                "null",
                "{\"payload\":{}}",
                "{\"type\":null}",
                "{\"type\":7}",
                "{\"type\":\"offer\",\"to\":[\"p\"]}",
                "{\"type\":\"offer\",\"to\":3}",
                "{\"type\":\"offer\",\"type\":null}"
            })
    @DisplayName("refuses a JSON value that is no envelope with bad-envelope")
    void badEnvelope(String frame) {
        assertThat(catchThrowableOfType(Refusal.class, () -> Envelopes.read(frame, MAX))
                        .code())
                .as(frame)
                .isEqualTo("bad-envelope");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"type\":\"dance\"}",
                "{\"type\":\"welcome\"}",
                "{\"type\":\"x-\"}",
                "{\"type\":\"OFFER\"}",
                "{\"type\":\"offer\",\"type\":\"error\"}"
            })
    @DisplayName("refuses a type peers do not send with unknown-type")
    void unknownType(String frame) {
        assertThat(catchThrowableOfType(Refusal.class, () -> Envelopes.read(frame, MAX))
                        .code())
                .as(frame)
                .isEqualTo("unknown-type");
    }

    @Test
    @DisplayName("accepts exactly the ids the pattern [A-Za-z0-9_-]{1,64} matches")
    void ids() {
        Random random = new Random(11);
        String alphabet = "aZ09_-.~ /é\u0000Az";
        List<String> ids =
                new java.util.ArrayList<>(List.of("", "a", "A-z_0", "x".repeat(64), "x".repeat(65), "a b", "é", "a.b"));
        for (int i = 0; i < 5000; i++) {
            StringBuilder id = new StringBuilder();
            for (int n = random.nextInt(70); n > 0; n--) {
                id.append(
                        random.nextInt(10) > 0
                                ? "aZ09_-".charAt(random.nextInt(6))
                                : alphabet.charAt(random.nextInt(alphabet.length())));
            }
            ids.add(id.toString());
        }
        for (String id : ids) {
            boolean valid = Envelopes.ID.matcher(id).matches();
            if (valid) {
                assertThat(Envelopes.checkId("peer", id)).isEqualTo(id);
            } else {
                assertThat(catchThrowableOfType(Refusal.class, () -> Envelopes.checkId("peer", id))
                                .code())
                        .as("'%s'", id)
                        .isEqualTo("bad-id");
            }
        }
        assertThat(catchThrowableOfType(Refusal.class, () -> Envelopes.checkId("peer", null))
                        .code())
                .isEqualTo("bad-id");
    }

    /** {@code utf8} after UTF-8's byte order mark (EF BB BF), as some editors save a body. */
    static byte[] withBom(byte[] utf8) {
        byte[] withBom = new byte[utf8.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(utf8, 0, withBom, 3, utf8.length);
        return withBom;
    }
}
