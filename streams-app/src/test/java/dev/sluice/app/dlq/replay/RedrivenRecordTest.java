package dev.sluice.app.dlq.replay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import dev.sluice.app.dlq.DeadLetterHeaders;
import dev.sluice.app.dlq.DeadLetters;
import dev.sluice.app.dlq.Failure;
import dev.sluice.app.dlq.browse.DeadLetterCoordinates;
import dev.sluice.app.dlq.browse.DeadLetterSummary;
import dev.sluice.app.failure.ErrorCode;
import dev.sluice.app.failure.Stage;

/** What a redrive re-produces, which dead letters it can redrive, and what its ledger records. */
class RedrivenRecordTest {

    private static final byte[] KEY = {1, 2};
    private static final byte[] VALUE = {3, 4, 5};

    @Test
    void theOriginalRecordGoesBackToItsSourceWithTheRedriveHeadersOnly() {
        RecordHeaders original = new RecordHeaders();
        original.add("traceparent", "00-abc".getBytes(StandardCharsets.UTF_8));
        original.add(DeadLetterHeaders.REPLAY_ID, "an-earlier-run".getBytes(StandardCharsets.UTF_8));
        ConsumerRecord<byte[], byte[]> letter = letter(DeadLetters.headers(original,
                Failure.rule("customers.country.pattern", "no"), "bronze.pg.customers", 2, 40, 5_000, "1.0"));

        ProducerRecord<byte[], byte[]> again = Redriver.redriven(letter, "run-1");

        assertEquals("bronze.pg.customers", again.topic());
        assertEquals(2, again.partition());
        assertEquals(1_000L, again.timestamp(), "the original timestamp");
        assertArrayEquals(KEY, again.key());
        assertArrayEquals(VALUE, again.value());
        List<String> keys = new ArrayList<>();
        for (Header header : again.headers()) {
            keys.add(header.key());
        }
        assertEquals(List.of("traceparent", DeadLetterHeaders.REPLAY_ID, DeadLetterHeaders.REPLAY_OF), keys);
        assertEquals("run-1", text(again, DeadLetterHeaders.REPLAY_ID));
        assertEquals("dlq.validate/1/7", text(again, DeadLetterHeaders.REPLAY_OF));
    }

    @Test
    void onlyDeadLettersOfBronzeStagesReadFromBronzeAtAKnownPositionAndNotDuplicatesAreRedrivable() {
        List<String> bronze = List.of("bronze.pg.customers");
        assertNull(Redrivable.whyNot(summary("validate", ErrorCode.VALIDATION_FAILED, "bronze.pg.customers", 2),
                bronze));
        assertNull(Redrivable.whyNot(summary("enrich", ErrorCode.PROCESSING_FAILED, "bronze.pg.customers", 2),
                bronze));
        assertEquals("a duplicate: its original reached silver",
                Redrivable.whyNot(summary("dedupe", ErrorCode.DUPLICATE, "bronze.pg.customers", 2), bronze));
        assertEquals("not a stage that reads bronze",
                Redrivable.whyNot(summary("late", ErrorCode.LATE_EVENT, "silver.orders", -1), bronze));
        assertEquals("not a stage that reads bronze", Redrivable.whyNot(summary("source",
                ErrorCode.DESERIALIZATION_FAILED, "bronze.pg.customers", 2), bronze), "Connect's source side");
        assertEquals("not read from a bronze topic", Redrivable.whyNot(summary("enrich",
                ErrorCode.PROCESSING_FAILED, "sluice-streams-enrich.order-events-repartition", 2), bronze));
        assertEquals("source position unknown",
                Redrivable.whyNot(summary("process", ErrorCode.PROCESSING_FAILED, "bronze.pg.customers", -1), bronze));
    }

    @Test
    void theLedgerRecordsRunsWithTheirMarks() {
        ReplayLedger ledger = new ReplayLedger("sluice.replays");
        ReplayRun run = new ReplayRun("run-1", "2026-11-22T10:00:00Z", false, 5, 3, 1, 1,
                Map.of("not read from a bronze topic", 1));
        Map<TopicPartition, Long> marks = Map.of(new TopicPartition("silver.customers", 2), 17L);
        ProducerRecord<byte[], byte[]> stored = ledger.run(new ReplayLedger.StoredRun(run, marks));
        assertEquals("run:run-1", new String(stored.key(), StandardCharsets.UTF_8));
        ReplayLedger.StoredRun back = ReplayLedger.parse(new String(stored.value(), StandardCharsets.UTF_8));
        assertEquals(run, back.run());
        assertEquals(marks, back.marks());
        assertEquals("replayed:dlq.validate/1/7", new String(ledger.replayed(
                new DeadLetterCoordinates("dlq.validate", 1, 7), "run-1").key(), StandardCharsets.UTF_8));
    }

    private static DeadLetterSummary summary(String stage, ErrorCode code, String sourceTopic, int partition) {
        return new DeadLetterSummary("dlq.x", 0, 0, "dlq.x/0/0", "2026-11-22T10:00:00Z", null, stage,
                code.name(), null, null, sourceTopic, partition, partition < 0 ? -1L : 40L, null, null, null);
    }

    private static ConsumerRecord<byte[], byte[]> letter(org.apache.kafka.common.header.Headers headers) {
        return new ConsumerRecord<>(Stage.VALIDATE.topic(), 1, 7, 1_000L, TimestampType.CREATE_TIME, KEY.length,
                VALUE.length, KEY, VALUE, headers, Optional.empty());
    }

    private static String text(ProducerRecord<byte[], byte[]> record, String key) {
        return DeadLetterHeaders.text(record.headers(), key);
    }
}
