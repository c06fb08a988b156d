package callguide.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link Utf8#decoded}: the text of what is UTF-8, null for all that is not, wherever in the bytes it stands. */
@DisplayName("Utf8, strict decoding with the JDK's fast path")
class Utf8Test {

    /** {@code hex} (two digits a byte) between ASCII, so that a sequence is tried in the middle of a text. */
    private static byte[] inText(String hex) {
        byte[] middle = HexFormat.of().parseHex(hex);
        byte[] bytes = new byte[middle.length + 2];
        bytes[0] = 'a';
        System.arraycopy(middle, 0, bytes, 1, middle.length);
        bytes[bytes.length - 1] = 'z';
        return bytes;
    }

    @Test
    @DisplayName("reads ASCII, 2-, 3- and 4-byte characters and nothing at all")
    void valid() {
        assertThat(Utf8.decoded(new byte[0])).isEmpty();
        String text = "{\"sdp\":\"v=0\"} h\u00e9 \u20ac \ud83d\ude00 \u0000 \u07ff \uffff \udbff\udfff";
        assertThat(Utf8.decoded(text.getBytes(StandardCharsets.UTF_8))).isEqualTo(text);
        assertThat(Utf8.decoded(HexFormat.of().parseHex("c3a9e282acf09f9880"))).isEqualTo("\u00e9\u20ac\ud83d\ude00");
    }

    @Test
    @DisplayName("reads U+FFFD sent as such (valid UTF-8), alone or among other characters")
    void replacementCharacterSentAsSuch() {
        assertThat(Utf8.decoded(HexFormat.of().parseHex("efbfbd"))).isEqualTo("\ufffd");
        String text = "{\"payload\":\"\ufffd h\u00e9 \ud83d\ude00 \ufffd\"}";
        assertThat(Utf8.decoded(text.getBytes(StandardCharsets.UTF_8))).isEqualTo(text);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "c3", // a 2-byte lead without its continuation
                "c328", // ... followed by ASCII
                "e282", // a 3-byte sequence cut after two
                "e2", // ... after one
                "f09f98", // a 4-byte sequence cut after three
                "f09f", // ... after two
                "80", // a lone continuation
                "bf80", // two of them
                "c080", // an overlong NUL
                "c1bf", // an overlong 0x7F
                "e080af", // an overlong '/' in three bytes
                "e09fbf", // an overlong U+07FF
                "f08282ac", // an overlong euro sign in four bytes
                "f08fbfbf", // an overlong U+FFFF
                "eda080", // a high surrogate (U+D800), as CESU-8 writes it
                "edbfbf", // a low surrogate (U+DFFF)
                "eda0bdedb880", // a surrogate pair written as two 3-byte sequences (CESU-8's U+1F600)
                "f4908080", // beyond U+10FFFF
                "f5808080", // a lead byte no character has
                "fe",
                "ff",
                "efbfbdc3" // U+FFFD sent as such, then a broken sequence: the strict decoder still sees it
            })
    @DisplayName("refuses what is not UTF-8, at the start, in the middle and at the end of the bytes")
    void notUtf8(String hex) {
        byte[] sequence = HexFormat.of().parseHex(hex);
        byte[] atEnd = Arrays.copyOf(inText(hex), sequence.length + 1);
        byte[] atStart = Arrays.copyOfRange(inText(hex), 1, sequence.length + 2);
        assertThat(Utf8.decoded(sequence)).as("alone").isNull();
        assertThat(Utf8.decoded(inText(hex))).as("in the middle").isNull();
        assertThat(Utf8.decoded(atEnd)).as("at the end").isNull();
        assertThat(Utf8.decoded(atStart)).as("at the start").isNull();
    }

    @Test
    @DisplayName("agrees with the JDK's strict decoder on random bytes, mostly valid or not")
    void randomBytes() {
        Random random = new Random(19);
        String[] characters = {"a", "\u00e9", "\u20ac", "\ud83d\ude00", "\ufffd"};
        for (int i = 0; i < 20_000; i++) {
            StringBuilder text = new StringBuilder();
            for (int c = random.nextInt(8); c > 0; c--) {
                text.append(characters[random.nextInt(characters.length)]);
            }
            byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
            if (bytes.length > 0 && random.nextBoolean()) {
                bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256); // maybe broken, maybe not
            }
            assertThat(Utf8.decoded(bytes)).as(HexFormat.of().formatHex(bytes)).isEqualTo(strict(bytes));
        }
    }

    private static String strict(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException notUtf8) {
            return null;
        }
    }
}
