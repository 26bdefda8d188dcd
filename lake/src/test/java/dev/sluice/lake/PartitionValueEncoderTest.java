package dev.sluice.lake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class PartitionValueEncoderTest {

    static Stream<String> hostileValues() {
        return Stream.of("../../etc", "..", ".", "a/b", "a\\b", "/", "\\", "%", "%2F", "100%", "a=b", "k=v/x=y",
                "line\nbreak", "tab\tand\rcr", "nul\u0000byte", "del\u007F", "c1\u0085control", "rtl\u202Eoverride",
                "zero\u200Bwidth", "line\u2028sep", "quote\"'*?:#", "{[]}^|<>`~+", "lone\uD800surrogate",
                "emoji 😀 ok", "Zürich", "東京", " ", "x".repeat(10_000), "é".repeat(5_000),
                "😀".repeat(3_000), "%".repeat(1_000));
    }

    @ParameterizedTest
    @MethodSource("hostileValues")
    void encodedValueIsASingleSafeSegment(String value) {
        String segment = PartitionValueEncoder.encode(value);

        assertFalse(segment.isEmpty());
        assertFalse(segment.contains("/"), segment);
        assertFalse(segment.contains("\\"), segment);
        assertFalse(segment.contains("="), segment);
        assertNotEquals(".", segment);
        assertNotEquals("..", segment);
        assertTrue(segment.getBytes(StandardCharsets.UTF_8).length <= PartitionValueEncoder.MAX_SEGMENT_BYTES,
                () -> "too long: " + segment.length());
        segment.codePoints().forEach(cp -> {
            assertFalse(Character.isISOControl(cp), () -> "control char in " + segment);
            assertFalse(Character.getType(cp) == Character.FORMAT, () -> "format char in " + segment);
            assertFalse(Character.isSurrogate((char) cp) && cp < 0x10000, () -> "lone surrogate in " + segment);
        });
    }

    @Test
    void escapesLikeHive() {
        assertEquals("..%2F..%2Fetc", PartitionValueEncoder.encode("../../etc"));
        assertEquals("a%2Fb", PartitionValueEncoder.encode("a/b"));
        assertEquals("100%25", PartitionValueEncoder.encode("100%"));
        assertEquals("a%3Db", PartitionValueEncoder.encode("a=b"));
        assertEquals("line%0Abreak", PartitionValueEncoder.encode("line\nbreak"));
        assertEquals("%2E%2E", PartitionValueEncoder.encode(".."));
        assertEquals("rtl%E2%80%AEoverride", PartitionValueEncoder.encode("rtl\u202Eoverride"));
    }

    @Test
    void keepsReadableValuesReadable() {
        assertEquals("EU-West_1", PartitionValueEncoder.encode("EU-West_1"));
        assertEquals("Zürich", PartitionValueEncoder.encode("Zürich"));
        assertEquals("東京", PartitionValueEncoder.encode("東京"));
        assertEquals("a b.c", PartitionValueEncoder.encode("a b.c"));
    }

    @Test
    void nullAndEmptyBecomeHivesDefaultPartition() {
        assertEquals("__HIVE_DEFAULT_PARTITION__", PartitionValueEncoder.encode(null));
        assertEquals("__HIVE_DEFAULT_PARTITION__", PartitionValueEncoder.encode(""));
        assertNull(PartitionValueEncoder.decode("__HIVE_DEFAULT_PARTITION__"));
    }

    @ParameterizedTest
    @MethodSource("hostileValues")
    void decodesBackUnlessCut(String value) {
        String segment = PartitionValueEncoder.encode(value);
        if (!segment.contains("~")) {
            String expected = value.replace('\uD800', '\uFFFD');
            assertEquals(expected, PartitionValueEncoder.decode(segment));
        }
    }

    @Test
    void longValuesAreCutWithAHashThatKeepsThemDistinct() {
        String a = "x".repeat(10_000);
        String b = "x".repeat(9_999) + "y";

        String encodedA = PartitionValueEncoder.encode(a);
        String encodedB = PartitionValueEncoder.encode(b);

        assertNotEquals(encodedA, encodedB);
        assertTrue(encodedA.matches("x+~[0-9a-f]{16}"), encodedA);
        assertEquals(encodedA, PartitionValueEncoder.encode(a), "deterministic");
    }

    @Test
    void cutNeverSplitsAnEscape() {
        String segment = PartitionValueEncoder.encode("/".repeat(1_000));
        String kept = segment.substring(0, segment.indexOf('~'));
        assertTrue(kept.matches("(%2F)+"), kept);
    }

    @Test
    void tildeIsEscapedSoItOnlyMarksCuts() {
        assertEquals("a%7Eb", PartitionValueEncoder.encode("a~b"));
    }
}
