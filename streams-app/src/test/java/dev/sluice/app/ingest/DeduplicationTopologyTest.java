package dev.sluice.app.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.sluice.app.dlq.DeadLetterHeaders;
import dev.sluice.app.failure.ErrorCode;
import dev.sluice.app.failure.Stage;
import dev.sluice.app.testing.BronzeSchemas;
import dev.sluice.app.testing.Out;
import dev.sluice.app.testing.PipelineDriver;
import dev.sluice.app.testing.Rows;
import dev.sluice.schemas.silver.CleanUserEvent;
import dev.sluice.schemas.silver.Customer;

/** Replays within the window are dead-lettered as duplicates; distinct changes of the same row are not. */
class DeduplicationTopologyTest {

    private PipelineDriver pipeline;

    @BeforeEach
    void start() {
        pipeline = PipelineDriver.start();
    }

    @AfterEach
    void stop() {
        pipeline.close();
    }

    @Test
    void aReplayedEventWithinTheWindowIsADuplicate() {
        Map<String, Object> event = Rows.userEvent("user-1", "page_view", PipelineDriver.NOW.minusSeconds(5));
        byte[] value = pipeline.bronze().value(pipeline.topics().getUserEvents(), BronzeSchemas.USER_EVENT, event);
        byte[] key = "user-1".getBytes(StandardCharsets.UTF_8);
        pipeline.send(pipeline.topics().getUserEvents(), key, value, new RecordHeaders(), PipelineDriver.NOW);
        pipeline.send(pipeline.topics().getUserEvents(), key, value, new RecordHeaders(),
                PipelineDriver.NOW.plus(Duration.ofHours(23)));

        assertEquals(1, pipeline.read(pipeline.topics().getSilverUserEvents(), CleanUserEvent.class).size());
        List<Out<byte[], byte[]>> duplicates = pipeline.deadLetters(Stage.DEDUPE);
        assertEquals(1, duplicates.size());
        assertEquals(ErrorCode.DUPLICATE.name(), duplicates.get(0).header(DeadLetterHeaders.ERROR_CODE));
        assertTrue(duplicates.get(0).header(DeadLetterHeaders.ERROR_MESSAGE).contains((String) event.get("event_id")));
    }

    @Test
    void aReplayAfterTheWindowCountsAgain() {
        Map<String, Object> event = Rows.userEvent("user-1", "page_view", PipelineDriver.NOW.minusSeconds(5));
        byte[] value = pipeline.bronze().value(pipeline.topics().getUserEvents(), BronzeSchemas.USER_EVENT, event);
        byte[] key = "user-1".getBytes(StandardCharsets.UTF_8);
        pipeline.send(pipeline.topics().getUserEvents(), key, value, new RecordHeaders(), PipelineDriver.NOW);
        pipeline.send(pipeline.topics().getUserEvents(), key, value, new RecordHeaders(),
                PipelineDriver.NOW.plus(Duration.ofHours(25)));

        assertEquals(2, pipeline.read(pipeline.topics().getSilverUserEvents(), CleanUserEvent.class).size());
        assertEquals(List.of(), pipeline.deadLetters(Stage.DEDUPE));
    }

    @Test
    void aReplayIsADuplicateUpToExactlyOneWindowEitherSideOfTheFirstWhicheverComesFirst() {
        Duration window = Duration.ofHours(24);
        List<Duration> duplicates = List.of(window.negated(), Duration.ofMillis(1).negated(), window,
                Duration.ofMinutes(1));
        List<Duration> unique = List.of(window.plusMillis(1).negated(), window.plusMillis(1));
        int n = 0;
        for (Duration offset : duplicates) {
            sendTwice("dup-" + n++, offset);
        }
        for (Duration offset : unique) {
            sendTwice("unique-" + n++, offset);
        }

        assertEquals(duplicates.size() + 2 * unique.size(),
                pipeline.read(pipeline.topics().getSilverUserEvents(), CleanUserEvent.class).size());
        assertEquals(duplicates.size(), pipeline.deadLetters(Stage.DEDUPE).size());
    }

    @Test
    void aReplayInTheNextBucketWithinTheWindowIsADuplicate() {
        // Identities are bucketed by window (24 h, from the epoch): the first just before a bucket ends, the replay
        // just after, and the other way round.
        Instant bucketEnd = Instant.parse("2026-11-23T00:00:00Z");
        sendAt("across-1", bucketEnd.minusMillis(1), bucketEnd.plus(Duration.ofHours(23)));
        sendAt("across-2", bucketEnd.plus(Duration.ofHours(30)), bucketEnd.plus(Duration.ofHours(7)));

        assertEquals(2, pipeline.read(pipeline.topics().getSilverUserEvents(), CleanUserEvent.class).size());
        assertEquals(2, pipeline.deadLetters(Stage.DEDUPE).size());
    }

    private void sendTwice(String eventId, Duration offset) {
        Instant first = PipelineDriver.NOW.plus(Duration.ofDays(3));
        sendAt(eventId, first, first.plus(offset));
    }

    private void sendAt(String eventId, Instant first, Instant replay) {
        Map<String, Object> event = Rows.userEvent("user-1", "page_view", PipelineDriver.NOW.minusSeconds(5));
        event.put("event_id", eventId);
        byte[] value = pipeline.bronze().value(pipeline.topics().getUserEvents(), BronzeSchemas.USER_EVENT, event);
        byte[] key = "user-1".getBytes(StandardCharsets.UTF_8);
        pipeline.send(pipeline.topics().getUserEvents(), key, value, new RecordHeaders(), first);
        pipeline.send(pipeline.topics().getUserEvents(), key, value, new RecordHeaders(), replay);
    }

    @Test
    void aChangeReplayedAtTheSameLogPositionIsADuplicateAnotherChangeOfTheRowIsNot() {
        Map<String, Object> created = Rows.customer(1);
        pipeline.customer(created);
        pipeline.customer(created);
        pipeline.customer(Rows.updated(Rows.customer(1)));

        List<Out<String, Customer>> silver = pipeline.read(pipeline.topics().getSilverCustomers(), Customer.class);
        assertEquals(List.of("c", "u"), silver.stream().map(o -> o.value().getOp()).toList());
        assertEquals(1, pipeline.deadLetters(Stage.DEDUPE).size());
    }
}
