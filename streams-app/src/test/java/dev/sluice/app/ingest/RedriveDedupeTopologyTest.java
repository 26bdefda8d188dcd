package dev.sluice.app.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.header.Headers;
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

/**
 * Dedupe of redriven dead letters (header sluice.replay.of): a redrive is processed like a new record even when its
 * own failed attempt left its identity in the dedupe store, while a second copy of the same redrive is a duplicate,
 * and the source sending the same event again after a redrive still is one too.
 */
class RedriveDedupeTopologyTest {

    private static final byte[] KEY = "user-1".getBytes(StandardCharsets.UTF_8);

    private PipelineDriver pipeline;
    private byte[] value;

    @BeforeEach
    void start() {
        pipeline = PipelineDriver.start();
        Map<String, Object> event = Rows.userEvent("user-1", "page_view", PipelineDriver.NOW.minusSeconds(5));
        value = pipeline.bronze().value(pipeline.topics().getUserEvents(), BronzeSchemas.USER_EVENT, event);
    }

    @AfterEach
    void stop() {
        pipeline.close();
    }

    @Test
    void aRedriveIsNotTurnedAwayAsACopyOfItsOwnFailedAttempt() {
        // The first attempt passed dedupe (and failed later, as a failure in enrich would): its identity is stored.
        send(new RecordHeaders(), PipelineDriver.NOW);
        send(redrive("run-1", "dlq.enrich/0/7"), PipelineDriver.NOW.plusSeconds(60));

        List<Out<String, CleanUserEvent>> silver = silver();
        assertEquals(2, silver.size(), "the redrive reached silver");
        assertEquals("run-1", silver.get(1).header(DeadLetterHeaders.REPLAY_ID), "headers carried to silver");
        assertEquals("dlq.enrich/0/7", silver.get(1).header(DeadLetterHeaders.REPLAY_OF));
        assertEquals(List.of(), pipeline.deadLetters(Stage.DEDUPE));
    }

    @Test
    void theSameDeadLetterRedrivenTwiceYieldsOneResult() {
        send(redrive("run-1", "dlq.validate/1/3"), PipelineDriver.NOW);
        send(redrive("run-2", "dlq.validate/1/3"), PipelineDriver.NOW.plusSeconds(1));

        assertEquals(1, silver().size());
        List<Out<byte[], byte[]>> duplicates = pipeline.deadLetters(Stage.DEDUPE);
        assertEquals(1, duplicates.size());
        assertEquals(ErrorCode.DUPLICATE.name(), duplicates.get(0).header(DeadLetterHeaders.ERROR_CODE));
        assertEquals("run-2", duplicates.get(0).header(DeadLetterHeaders.REPLAY_ID), "found as dead-lettered again");
    }

    @Test
    void redrivesOfDifferentDeadLettersAreNotCopiesOfEachOther() {
        // Two dead letters of the same event (it failed twice): each redrive is judged on its own.
        send(redrive("run-1", "dlq.validate/1/3"), PipelineDriver.NOW);
        send(redrive("run-1", "dlq.validate/1/4"), PipelineDriver.NOW.plusSeconds(1));

        assertEquals(2, silver().size());
        assertEquals(List.of(), pipeline.deadLetters(Stage.DEDUPE));
    }

    @Test
    void theSourceSendingTheEventAgainAfterARedriveIsADuplicate() {
        send(redrive("run-1", "dlq.validate/1/3"), PipelineDriver.NOW);
        send(new RecordHeaders(), PipelineDriver.NOW.plusSeconds(1));

        assertEquals(1, silver().size());
        assertEquals(1, pipeline.deadLetters(Stage.DEDUPE).size());
    }

    private void send(Headers headers, Instant at) {
        pipeline.send(pipeline.topics().getUserEvents(), KEY, value, headers, at);
    }

    private List<Out<String, CleanUserEvent>> silver() {
        return pipeline.read(pipeline.topics().getSilverUserEvents(), CleanUserEvent.class);
    }

    private static Headers redrive(String id, String of) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(DeadLetterHeaders.REPLAY_ID, id.getBytes(StandardCharsets.UTF_8));
        headers.add(DeadLetterHeaders.REPLAY_OF, of.getBytes(StandardCharsets.UTF_8));
        return headers;
    }
}
