package dev.sluice.app.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import dev.sluice.app.dlq.DeadLetterHeaders;

class DeadLetterTallyTest {

    private final DeadLetterTally tally = new DeadLetterTally();

    @Test
    void countsByStageCodeAndRuleMostFirstWithTheTopicAsStageWhenTheHeaderIsMissing() {
        tally.count(letter("dlq.validate", 0, 1_000, Map.of(DeadLetterHeaders.STAGE, "validate",
                DeadLetterHeaders.ERROR_CODE, "VALIDATION_FAILED", DeadLetterHeaders.ERROR_RULE, "orders.total.min")));
        tally.count(letter("dlq.validate", 1, 2_000, Map.of(DeadLetterHeaders.STAGE, "validate",
                DeadLetterHeaders.ERROR_CODE, "VALIDATION_FAILED", DeadLetterHeaders.ERROR_RULE, "orders.total.min")));
        tally.count(letter("dlq.enrich", 2, 3_000, Map.of(DeadLetterHeaders.ERROR_CODE, "PROCESSING_FAILED")));
        tally.count(letter("dlq.enrich", 3, 4_000, Map.of()));

        DeadLetterCounts counts = tally.counts(true);
        assertEquals(4, counts.total());
        assertTrue(counts.caughtUp());
        assertEquals(Map.of("validate", 2L, "enrich", 2L), counts.byStage(), "no stage header: the topic's stage");
        assertEquals(Map.of("VALIDATION_FAILED", 2L, "PROCESSING_FAILED", 1L, "UNKNOWN", 1L), counts.byCode());
        assertEquals(List.of(
                new DeadLetterCounts.ReasonCount("validate", "VALIDATION_FAILED", "orders.total.min", 2),
                new DeadLetterCounts.ReasonCount("enrich", "PROCESSING_FAILED", null, 1),
                new DeadLetterCounts.ReasonCount("enrich", "UNKNOWN", null, 1)), counts.reasons());
        assertFalse(tally.counts(false).caughtUp());
    }

    @Test
    void recentIsNewestFirstByRecordTimeWhateverTheReadOrderAndBounded() {
        for (int i = 0; i < DeadLetterTally.RECENT + 50; i++) {
            // partitions read one after another: times interleave
            tally.count(letter("dlq.validate", i, (i % 2 == 0 ? 1_000_000 : 0) + i, Map.of()));
        }
        List<RecentDeadLetter> recent = tally.recent(DeadLetterTally.RECENT + 50);
        assertEquals(DeadLetterTally.RECENT, recent.size(), "bounded");
        assertEquals(DeadLetterTally.RECENT + 48, recent.get(0).offset(), "the newest record time first");
        assertEquals(List.of(248L, 246L, 244L), recent.stream().limit(3).map(RecentDeadLetter::offset).toList());
        assertEquals(5, tally.recent(5).size());
    }

    @Test
    void headerTextIsCutAndCleanedAndBadNumbersAreNull() {
        tally.count(letter("dlq.enrich", 7, 1_000, Map.of(DeadLetterHeaders.ERROR_CLASS, "x".repeat(500),
                DeadLetterHeaders.SOURCE_TOPIC, "bronze\u0000orders\u202E", DeadLetterHeaders.SOURCE_PARTITION, " 3 ",
                DeadLetterHeaders.SOURCE_OFFSET, "not a number", DeadLetterHeaders.TIME, "2026-11-22T10:00:00Z")));
        RecentDeadLetter letter = tally.recent(1).get(0);
        assertEquals(DeadLetterTally.MAX_HEADER_CHARS, letter.errorClass().length());
        assertEquals("bronze?orders?", letter.sourceTopic());
        assertEquals(Optional.of(3), Optional.ofNullable(letter.sourcePartition()));
        assertNull(letter.sourceOffset());
        assertEquals("2026-11-22T10:00:00Z", letter.errorTime());
        assertEquals("1970-01-01T00:00:01Z", letter.timestamp());
    }

    @Test
    void countsPerSourceTopicOnlyWhatFailedReadingThoseTopics() {
        Map<String, String> invalid = Map.of(DeadLetterHeaders.STAGE, "validate", DeadLetterHeaders.ERROR_CODE,
                "VALIDATION_FAILED", DeadLetterHeaders.ERROR_RULE, "suppliers.id.min");
        tally.count(letter("dlq.validate", 0, 1_000, with(invalid, "bronze.pg.suppliers")));
        tally.count(letter("dlq.validate", 1, 1_000, with(invalid, "bronze.pg.suppliers")));
        tally.count(letter("dlq.deserialize", 0, 1_000, Map.of(DeadLetterHeaders.STAGE, "deserialize",
                DeadLetterHeaders.ERROR_CODE, "UNDECODABLE", DeadLetterHeaders.SOURCE_TOPIC, "bronze.pg.suppliers")));
        tally.count(letter("dlq.validate", 2, 1_000, with(invalid, "bronze.pg.orders")));
        tally.count(letter("dlq.validate", 3, 1_000, invalid));

        DeadLetterCounts suppliers = tally.countsFrom(List.of("bronze.pg.suppliers", "silver.suppliers"), true);
        assertEquals(3, suppliers.total());
        assertEquals(List.of(new DeadLetterCounts.ReasonCount("validate", "VALIDATION_FAILED", "suppliers.id.min", 2),
                new DeadLetterCounts.ReasonCount("deserialize", "UNDECODABLE", null, 1)), suppliers.reasons());
        assertEquals(1, tally.countsFrom(List.of("bronze.pg.orders"), true).total());
        assertEquals(0, tally.countsFrom(List.of("bronze.pg.nothing"), false).total());
        assertEquals(5, tally.counts(true).total(), "the totals count every dead letter, with or without a source");
    }

    private static Map<String, String> with(Map<String, String> headers, String sourceTopic) {
        Map<String, String> all = new java.util.HashMap<>(headers);
        all.put(DeadLetterHeaders.SOURCE_TOPIC, sourceTopic);
        return all;
    }

    private static ConsumerRecord<byte[], byte[]> letter(String topic, long offset, long timestamp,
            Map<String, String> headers) {
        RecordHeaders recordHeaders = new RecordHeaders();
        headers.forEach((key, value) -> recordHeaders.add(key, value.getBytes(StandardCharsets.UTF_8)));
        return new ConsumerRecord<>(topic, 0, offset, timestamp, TimestampType.CREATE_TIME, -1, -1, new byte[0],
                new byte[0], recordHeaders, Optional.empty());
    }
}
