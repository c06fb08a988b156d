package callguide.relay;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Bytes read as UTF-8, strictly, at the speed of the JDK's own decoding for all that is valid. */
final class Utf8 {
    private Utf8() {}

    /**
     * {@code bytes} as text; null when they are not UTF-8 (a broken or truncated sequence, an overlong form, a
     * surrogate, beyond U+10FFFF). The JDK's fast decoder (vectorised) reads them first: it puts U+FFFD where they are
     * not UTF-8, so a text without one is the answer; a text with one, sent as such or not, is decoded again by the
     * strict decoder, which tells which.
     */
    static String decoded(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (text.indexOf('\uFFFD') < 0) {
            return text;
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException notUtf8) {
            return null;
        }
    }
}
