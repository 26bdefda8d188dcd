package dev.sluice.lake;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Turns arbitrary values into safe S3 key segments and back, Hive style.
 *
 * <p>Characters Hive escapes ({@code / \ = % : " # ' * ? { [ ] ^} and control characters) are
 * percent-encoded as UTF-8 bytes, as are a few more that break keys or tools ({@code + ~ | < > ` }},
 * every ISO control, Unicode format/separator character and unpaired surrogate). Other Unicode stays
 * readable. Readers that understand Hive partitions (Spark, Trino, DuckDB) decode the result.
 *
 * <p>Guarantees: the result never contains {@code /} or {@code \}, is never empty, {@code .} or
 * {@code ..}, and is at most {@link #MAX_SEGMENT_BYTES} UTF-8 bytes. Null and empty values become
 * {@link #NULL_PLACEHOLDER}. Values too long are cut and suffixed with {@code ~} and a hash of the
 * original value, so distinct values stay distinct; {@code ~} itself is always escaped in values,
 * so a {@code ~} in a segment only ever marks a cut.
 */
public final class PartitionValueEncoder {

    /** What Hive, Spark and Trino write, and read back as SQL NULL. */
    public static final String NULL_PLACEHOLDER = "__HIVE_DEFAULT_PARTITION__";

    /** Upper bound of one encoded segment; keeps whole keys far below S3's 1024-byte limit. */
    public static final int MAX_SEGMENT_BYTES = 128;

    private static final int HASH_HEX_CHARS = 16;
    private static final String ESCAPED_ASCII = "\"#%'*/:=?\\{}[]^+~|<>`";

    private PartitionValueEncoder() {
    }

    /** Encodes {@code value} into one key segment (see class comment). */
    public static String encode(String value) {
        if (value == null || value.isEmpty()) {
            return NULL_PLACEHOLDER;
        }
        StringBuilder out = new StringBuilder(value.length() + 8);
        int i = 0;
        while (i < value.length()) {
            int cp = value.codePointAt(i);
            int width = Character.charCount(cp);
            if (Character.isSurrogate(value.charAt(i)) && width == 1) {
                cp = 0xFFFD;
                appendEscaped(out, cp);
            } else if (mustEscape(cp)) {
                appendEscaped(out, cp);
            } else {
                out.appendCodePoint(cp);
            }
            i += width;
        }
        String encoded = out.toString();
        if (encoded.equals(".") || encoded.equals("..")) {
            encoded = encoded.replace(".", "%2E");
        }
        if (utf8Length(encoded) > MAX_SEGMENT_BYTES) {
            encoded = truncateWithHash(encoded, value);
        }
        return encoded;
    }

    /**
     * Decodes a segment written by {@link #encode}; returns null for the placeholder. Cut values
     * decode to their kept prefix plus the {@code ~hash} marker (the full value lives in the data).
     */
    public static String decode(String segment) {
        if (segment.equals(NULL_PLACEHOLDER)) {
            return null;
        }
        if (segment.indexOf('%') < 0) {
            return segment;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(segment.length());
        int i = 0;
        while (i < segment.length()) {
            if (segment.charAt(i) == '%' && isHex(segment, i + 1) && isHex(segment, i + 2)) {
                bytes.write(Integer.parseInt(segment, i + 1, i + 3, 16));
                i += 3;
            } else {
                int width = Character.charCount(segment.codePointAt(i));
                bytes.writeBytes(segment.substring(i, i + width).getBytes(StandardCharsets.UTF_8));
                i += width;
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static boolean isHex(String s, int index) {
        return index < s.length() && Character.digit(s.charAt(index), 16) >= 0;
    }

    private static boolean mustEscape(int cp) {
        if (cp < 0x20 || cp == 0x7F) {
            return true;
        }
        if (cp < 0x80) {
            return ESCAPED_ASCII.indexOf(cp) >= 0;
        }
        if (Character.isISOControl(cp)) {
            return true;
        }
        int type = Character.getType(cp);
        return type == Character.FORMAT
                || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR
                || type == Character.UNASSIGNED
                || type == Character.PRIVATE_USE
                || type == Character.SURROGATE;
    }

    private static void appendEscaped(StringBuilder out, int cp) {
        byte[] utf8 = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
        for (byte b : utf8) {
            out.append('%');
            out.append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xF, 16)));
            out.append(Character.toUpperCase(Character.forDigit(b & 0xF, 16)));
        }
    }

    private static String truncateWithHash(String encoded, String original) {
        int budget = MAX_SEGMENT_BYTES - 1 - HASH_HEX_CHARS;
        StringBuilder kept = new StringBuilder(budget);
        int bytes = 0;
        int i = 0;
        while (i < encoded.length()) {
            int unitLength;
            int unitBytes;
            if (encoded.charAt(i) == '%') {
                unitLength = 3;
                unitBytes = 3;
            } else {
                int cp = encoded.codePointAt(i);
                unitLength = Character.charCount(cp);
                unitBytes = utf8Length(encoded.substring(i, i + unitLength));
            }
            if (bytes + unitBytes > budget) {
                break;
            }
            kept.append(encoded, i, i + unitLength);
            bytes += unitBytes;
            i += unitLength;
        }
        return kept.append('~').append(sha256Hex(original), 0, HASH_HEX_CHARS).toString();
    }

    private static String sha256Hex(String value) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    static int utf8Length(CharSequence s) {
        int count = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                count++;
            } else if (c < 0x800) {
                count += 2;
            } else if (Character.isHighSurrogate(c)) {
                count += 4;
                i++;
            } else {
                count += 3;
            }
        }
        return count;
    }
}
