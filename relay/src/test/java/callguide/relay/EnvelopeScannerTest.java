package callguide.relay;

import static org.assertj.core.api.Assertions.assertThat;

import callguide.kit.signal.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link EnvelopeScanner} against the tree ({@link Envelopes#readTree}), on the same inputs: where the scanner
 * accepts a message, the tree accepts it too with the same type, the same {@code to} and the same payload; every
 * message the tree refuses, the scanner refuses too (it may decline more: the tree then decides).
 */
@DisplayName("The envelope scanner, held to the tree")
class EnvelopeScannerTest {
    /** What each path made of one input; {@code refusal} the tree's code, or null. */
    private record Outcome(PeerMessage fast, PeerMessage tree, String refusal) {}

    /** Counts, so a test can say that the scanner did take the fast path where it should. */
    private static final class Tally {
        int inputs;
        int accepted;
        int refusedByTree;
    }

    private static Outcome compare(String text, Tally tally) throws Exception {
        return check(
                text,
                EnvelopeScanner.scan(text),
                () -> Envelopes.readTree(text),
                () -> Json.MAPPER.readTree(text),
                tally);
    }

    private static Outcome compare(byte[] body, Tally tally) throws Exception {
        String shown = new String(body, StandardCharsets.UTF_8) + " (bytes " + Arrays.toString(body) + ")";
        return check(
                shown,
                EnvelopeScanner.scan(body),
                () -> Envelopes.readTree(body),
                () -> Json.MAPPER.readTree(body),
                tally);
    }

    @FunctionalInterface
    private interface Read<T> {
        T get() throws Exception;
    }

    private static Outcome check(
            String shown, PeerMessage fast, Read<PeerMessage> viaTree, Read<JsonNode> whole, Tally tally)
            throws Exception {
        tally.inputs++;
        PeerMessage tree = null;
        String refusal = null;
        try {
            tree = viaTree.get();
        } catch (Refusal refused) {
            refusal = refused.code();
        }
        if (refusal != null) {
            tally.refusedByTree++;
            assertThat(fast)
                    .as("the scanner accepted what the tree refuses with %s: %s", refusal, shown)
                    .isNull();
            return new Outcome(null, null, refusal);
        }
        if (fast != null) {
            tally.accepted++;
            assertThat(fast.type()).as("type of %s", shown).isEqualTo(tree.type());
            assertThat(fast.to()).as("to of %s", shown).isEqualTo(tree.to());
            // The tree's own payload node, not its written text: Jackson writes 1e400 as "Infinity".
            JsonNode payload = whole.get().get("payload");
            if (payload == null) {
                assertThat(fast.payload()).as("payload of %s", shown).isNull();
            } else {
                assertThat(Json.MAPPER.readTree(fast.payload()))
                        .as("payload of %s", shown)
                        .isEqualTo(payload);
            }
        }
        return new Outcome(fast, tree, null);
    }

    /** Every input of the existing tests of {@link Envelopes}: their accepted messages and every refusal case. */
    private static List<String> existingCases() {
        List<String> cases = new ArrayList<>();
        for (Method method : EnvelopesTest.class.getDeclaredMethods()) {
            ValueSource source = method.getAnnotation(ValueSource.class);
            if (source != null) {
                cases.addAll(List.of(source.strings()));
            }
        }
        return cases;
    }

    @Nested
    @DisplayName("on hand-written messages")
    class HandWritten {
        @Test
        @DisplayName("agrees with the tree on every message the tests of Envelopes send, valid or refused")
        void existing() throws Exception {
            List<String> cases = existingCases();
            assertThat(cases).as("the cases read from EnvelopesTest").hasSizeGreaterThan(40);
            Tally tally = new Tally();
            for (String text : cases) {
                compare(text, tally);
                compare(text.getBytes(StandardCharsets.UTF_8), tally);
            }
            assertThat(tally.refusedByTree).as("cases the tree refuses").isGreaterThan(20);
            assertThat(tally.accepted).as("cases the scanner accepts").isGreaterThan(20);
        }

        @Test
        @DisplayName("takes a bench's candidate and offer, and ordinary messages, on the fast path")
        void ordinary() throws Exception {
            Tally tally = new Tally();
            for (String text : List.of(
                    ForwardingBenchmark.candidate(),
                    ForwardingBenchmark.offer(),
                    "{\"type\":\"hangup\"}",
                    " {\"type\" : \"answer\", \"to\" : \"bob\" ,\n\t\"payload\" : {\"sdp\":\"v=0\\r\\n\"} }\r\n",
                    "{\"type\":\"x-state\",\"to\":null,\"payload\":{\"kind\":\"ice\",\"value\":\"connected\"}}",
                    "{\"type\":\"x-u\",\"payload\":[\"h\u00e9llo \ud83d\ude00\",\"\\ud83d\\ude00\","
                            + "-0,-0.0e-0,1E+5]}")) {
                assertThat(compare(text, tally).fast())
                        .as("the scanner's reading of %s", text)
                        .isNotNull();
                assertThat(compare(text.getBytes(StandardCharsets.UTF_8), tally).fast())
                        .as("the scanner's reading of the body %s", text)
                        .isNotNull();
            }
        }

        @Test
        @DisplayName("refuses numbers, escapes, literals and strings JSON does not have")
        void broken() throws Exception {
            Tally tally = new Tally();
            for (String value : List.of(
                    "01",
                    "-01",
                    "1e",
                    "1e+",
                    "1.",
                    ".5",
                    "-",
                    "+1",
                    "1.e5",
                    "0x10",
                    "NaN",
                    "Infinity",
                    "-Infinity",
                    "1_000",
                    "tru",
                    "nul",
                    "True",
                    "nulll",
                    "\"\\x\"",
                    "\"\\u12\"",
                    "\"\\u12g4\"",
                    "\"\\\"",
                    "\"a\tb\"",
                    "\"a\u0000\"",
                    "\"a\u001f\"",
                    "'a'",
                    "[1,]",
                    "[,1]",
                    "{\"a\"}",
                    "{\"a\":}",
                    "{a:1}",
                    "{\"a\":1,}",
                    "[1 2]",
                    "{\"a\":1 \"b\":2}",
                    "/* c */ 1",
                    "[1]]",
                    "{}}")) {
                Outcome outcome = compare("{\"type\":\"x-t\",\"payload\":" + value + "}", tally);
                assertThat(outcome.refusal())
                        .as("the tree's refusal of the payload %s", value)
                        .isEqualTo("bad-json");
            }
            for (String value : List.of(
                    "-0",
                    "0",
                    "1e5",
                    "1E-5",
                    "0.0",
                    "-12.5e+3",
                    "\"\\u00e9\\/\\b\\f\"",
                    "[]",
                    "{}",
                    "[[],{}]",
                    "\"\u007f\"",
                    "\"\ud800\"",
                    "\"\\udc00\"")) {
                assertThat(compare("{\"type\":\"x-t\",\"payload\":" + value + "}", tally)
                                .fast())
                        .as("the scanner's reading of the payload %s", value)
                        .isNotNull();
            }
        }

        @Test
        @DisplayName("follows nesting to its own bound, leaves deeper to the tree, which refuses beyond Jackson's")
        void nesting() throws Exception {
            Tally tally = new Tally();
            int jackson = Json.MAPPER.getFactory().streamReadConstraints().getMaxNestingDepth();
            for (int depth : new int[] {
                EnvelopeScanner.MAX_DEPTH - 1,
                EnvelopeScanner.MAX_DEPTH,
                EnvelopeScanner.MAX_DEPTH + 1,
                jackson - 1,
                jackson,
                jackson + 1
            }) {
                int arrays = depth - 1; // the envelope is the first level
                String arraysDeep = "{\"type\":\"x-d\",\"payload\":" + "[".repeat(arrays) + "]".repeat(arrays) + "}";
                Outcome outcome = compare(arraysDeep, tally);
                assertThat(outcome.fast() != null)
                        .as("the scanner accepts %d levels (the tree: %s)", depth, outcome.refusal())
                        .isEqualTo(depth <= EnvelopeScanner.MAX_DEPTH);
                assertThat(outcome.refusal())
                        .as("the tree's refusal of %d levels", depth)
                        .isEqualTo(depth <= jackson ? null : "bad-json");
                String objectsDeep =
                        "{\"type\":\"x-d\",\"payload\":" + "{\"a\":".repeat(arrays) + "1" + "}".repeat(arrays) + "}";
                assertThat(compare(objectsDeep, tally).fast() != null)
                        .as("the scanner accepts %d levels of objects", depth)
                        .isEqualTo(depth <= EnvelopeScanner.MAX_DEPTH);
            }
        }

        @Test
        @DisplayName(
                "refuses bodies that are not UTF-8, reads U+FFFD sent as such, and leaves odd encodings to the tree")
        void bytes() throws Exception {
            Tally tally = new Tally();
            byte[][] sequences = {
                {(byte) 0xC3, 0x28}, // a lead byte without its continuation
                {(byte) 0xC0, (byte) 0x80}, // an overlong NUL
                {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, // a surrogate, as CESU-8 writes it
                {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, // beyond U+10FFFF
                {(byte) 0xF0, (byte) 0x9F, (byte) 0x98}, // a cut four-byte sequence
                {(byte) 0x80}, // a lone continuation
                {(byte) 0xFF}
            };
            for (byte[] sequence : sequences) {
                byte[] head = "{\"type\":\"x-b\",\"payload\":\"a".getBytes(StandardCharsets.UTF_8);
                byte[] body = new byte[head.length + sequence.length + 2];
                System.arraycopy(head, 0, body, 0, head.length);
                System.arraycopy(sequence, 0, body, head.length, sequence.length);
                body[body.length - 2] = '"';
                body[body.length - 1] = '}';
                assertThat(compare(body, tally).fast())
                        .as("the scanner's reading of %s", Arrays.toString(body))
                        .isNull();
            }
            byte[] replacement = "{\"type\":\"x-b\",\"payload\":\"a\ufffd\"}".getBytes(StandardCharsets.UTF_8);
            assertThat(compare(replacement, tally).fast())
                    .as("the scanner's reading of U+FFFD sent as such (valid UTF-8)")
                    .isEqualTo(new PeerMessage("x-b", null, "\"a\ufffd\""));
            String frame = "{\"type\":\"x-u\",\"payload\":\"h\u00e9llo\"}";
            byte[] utf8 = frame.getBytes(StandardCharsets.UTF_8);
            byte[] withBom = EnvelopesTest.withBom(utf8);
            for (byte[] body : List.of(withBom, frame.getBytes(StandardCharsets.UTF_16BE))) {
                Outcome outcome = compare(body, tally);
                assertThat(outcome.fast())
                        .as("the scanner's reading of an odd encoding")
                        .isNull();
                assertThat(outcome.tree())
                        .as("the tree's reading of an odd encoding")
                        .isNotNull();
            }
        }
    }

    @Nested
    @DisplayName("on thousands of generated messages")
    class Generated {
        private static final String NOISE =
                "{}[]\":,\\ \t\n\r0123456789-+.eEtrufalsn/bu\u0000\u001f\u00e9\ud83d\ude00" + "\ud800x'";

        @Test
        @DisplayName("agrees with the tree on random envelopes and on their truncations and mutations")
        void mutated() throws Exception {
            Random random = new Random(19);
            Tally tally = new Tally();
            Tally whole = new Tally();
            for (int i = 0; i < 3000; i++) {
                String envelope = randomEnvelope(random);
                assertThat(compare(envelope, whole).fast())
                        .as("the scanner's reading of the envelope Jackson wrote: %s", envelope)
                        .isNotNull();
                compare(envelope.getBytes(StandardCharsets.UTF_8), whole);
                for (int m = 0; m < 4; m++) {
                    String text = mutate(envelope, random);
                    compare(text, tally);
                    byte[] body = text.getBytes(StandardCharsets.UTF_8);
                    if (body.length > 0 && random.nextInt(3) == 0) {
                        body[random.nextInt(body.length)] = (byte) random.nextInt(256);
                    }
                    compare(body, tally);
                }
            }
            assertThat(tally.inputs).isEqualTo(3000 * 4 * 2);
            assertThat(tally.refusedByTree).as("mutants the tree refuses").isGreaterThan(tally.inputs / 4);
            assertThat(tally.accepted).as("mutants the scanner accepts").isGreaterThan(tally.inputs / 10);
            System.out.printf(
                    "scanner vs tree: %d mutants, %d refused by the tree (and the scanner), %d accepted by both%n",
                    tally.inputs, tally.refusedByTree, tally.accepted);
        }

        /** An envelope as Jackson writes it, with a random payload, sometimes a to, duplicates and spacing. */
        private String randomEnvelope(Random random) {
            ObjectNode envelope = JsonNodeFactory.instance.objectNode();
            envelope.put(
                    "type",
                    List.of("offer", "answer", "candidate", "x-state", "x-é", "hangup")
                            .get(random.nextInt(6)));
            if (random.nextBoolean()) {
                envelope.put("to", "bob");
            }
            if (random.nextInt(5) > 0) {
                envelope.set("payload", EnvelopesTest.randomValue(random, 0));
            }
            if (random.nextInt(4) == 0) {
                envelope.set("seq", JsonNodeFactory.instance.numberNode(random.nextInt(1000)));
            }
            String text = Json.write(envelope);
            return switch (random.nextInt(6)) {
                case 0 -> " \n" + text.replace(",", " , ").replace(":", ": ") + "\r\n";
                case 1 ->
                    text.substring(0, text.length() - 1) + ",\"payload\":"
                            + Json.write(EnvelopesTest.randomValue(random, 0)) + "}";
                case 2 -> text.substring(0, text.length() - 1) + ",\"to\":null}";
                default -> text;
            };
        }

        /** One of: cut short, a char dropped, a char of JSON's (or not) put in, a char replaced, a number mangled. */
        private String mutate(String text, Random random) {
            int at = random.nextInt(text.length() + 1);
            char noise = NOISE.charAt(random.nextInt(NOISE.length()));
            return switch (random.nextInt(6)) {
                case 0 -> text.substring(0, at);
                case 1 -> at < text.length() ? text.substring(0, at) + text.substring(at + 1) : text;
                case 2 -> text.substring(0, at) + noise + text.substring(at);
                case 3 -> at < text.length() ? text.substring(0, at) + noise + text.substring(at + 1) : text;
                case 4 ->
                    text.substring(0, at)
                            + List.of("01", "1e", "-0", "1.", "\\u00", "\\q", "\"", "-", "1e+9", "0.5E-3", "\\ud83d")
                                    .get(random.nextInt(11))
                            + text.substring(at);
                default -> text.replaceFirst("\"(type|to|payload)\"", "\"\\\\u0074$1\"");
            };
        }
    }
}
