package dev.sluice.app.dlq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.errors.internals.DefaultErrorHandlerContext;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

import dev.sluice.app.failure.Stage;
import dev.sluice.app.metrics.PipelineMetrics;
import dev.sluice.app.serde.RegistryUnavailableException;
import dev.sluice.app.serde.UnknownSchemaIdException;
import io.apicurio.registry.rest.client.exception.RestClientException;
import io.apicurio.registry.rest.v2.beans.Error;

/** The dead-letter format, its sanitising, and the exception handlers' choice between dead letter and stop. */
class DeadLettersTest {

    @Test
    void headerMessagesCarryNoControlCharactersAndAreBounded() {
        String hostile = "line\nbreak\u0000nul\u202eRTL " + "x".repeat(5000);
        String clean = DeadLetters.sanitise(hostile);
        assertFalse(clean.chars().anyMatch(c -> Character.isISOControl(c) || c == '\u202e'), clean);
        assertTrue(clean.length() <= DeadLetterHeaders.MAX_MESSAGE_CHARS + 3);
    }

    @Test
    void transientFailuresAreToldFromPoison() {
        assertTrue(Failures.isTransient(new RuntimeException(new ConnectException("refused"))));
        assertTrue(Failures.isTransient(registryError(null, "ConnectException")));
        assertTrue(Failures.isTransient(registryError(503, null)));
        assertFalse(Failures.isTransient(registryError(404, "ContentNotFoundException")));
        assertFalse(Failures.isTransient(new SerializationException("bad bytes", new IOException("EOF"))));
        assertTrue(Failures.isTransient(new RegistryUnavailableException("registry answered 503", null)));
        assertTrue(Failures.isTransient(new StreamsException(new RegistryUnavailableException("down",
                new ConnectException("refused")))));
        assertFalse(Failures.isTransient(new UnknownSchemaIdException(999_999, "unknown schema id 999999")));
    }

    @Test
    void aStreamThreadStoppedByAnOutageIsReplacedAndAnyOtherFailureShutsTheClientDown() {
        OutageExceptionHandler handler = new OutageExceptionHandler();
        assertEquals(StreamThreadExceptionResponse.REPLACE_THREAD, handler.handle(new StreamsException(
                new RegistryUnavailableException("schema registry unreachable", new ConnectException("refused")))));
        assertEquals(StreamThreadExceptionResponse.REPLACE_THREAD, handler.handle(new StreamsException(
                "task 0_1 timed out", new TimeoutException(
                        "Timeout expired after 60000ms while awaiting InitProducerId"))),
                "a broker that did not answer within Kafka Streams' own retries is an outage too");
        assertEquals(StreamThreadExceptionResponse.SHUTDOWN_CLIENT, handler.handle(new StreamsException(
                new IllegalStateException("a bug"))));
    }

    @Test
    void theProcessingHandlerDeadLettersTheRawSourceRecordAndStopsOnOutages() {
        PipelineMetrics metrics = PipelineMetrics.inMemory();
        DlqProcessingExceptionHandler handler = new DlqProcessingExceptionHandler();
        handler.configure(StreamsErrorHandling.config(metrics, Clock.systemUTC()));
        RecordHeaders headers = new RecordHeaders();
        headers.add("h", "v".getBytes(StandardCharsets.UTF_8));
        ErrorHandlerContext context = new DefaultErrorHandlerContext(null, "bronze.pg.orders", 2, 42L, headers,
                "enrich.silver-orders", new TaskId(0, 2), 1_000L, "k".getBytes(), "v".getBytes());
        ProcessingExceptionHandler.Response response = handler.handleError(context, new Record<>("k", "v", 1_000L),
                new IllegalStateException("boom"));
        assertEquals(ProcessingExceptionHandler.Result.RESUME, response.result());
        ProducerRecord<byte[], byte[]> dead = response.deadLetterQueueRecords().get(0);
        assertEquals("dlq.enrich", dead.topic());
        assertArrayEquals("k".getBytes(), dead.key());
        assertArrayEquals("v".getBytes(), dead.value());
        assertEquals(1_000L, dead.timestamp());
        assertEquals("v", header(dead, "h"));
        assertEquals("PROCESSING_FAILED", header(dead, DeadLetterHeaders.ERROR_CODE));
        assertEquals("2", header(dead, DeadLetterHeaders.SOURCE_PARTITION));
        assertEquals("42", header(dead, DeadLetterHeaders.SOURCE_OFFSET));
        assertEquals(IllegalStateException.class.getName(), header(dead, DeadLetterHeaders.ERROR_CLASS));
        assertEquals(1.0, metrics.count(PipelineMetrics.DLQ, "stage", "enrich", "code", "PROCESSING_FAILED"));

        ProcessingExceptionHandler.Response outage = handler.handleError(context, new Record<>("k", "v", 1_000L),
                new RuntimeException(new ConnectException("registry down")));
        assertEquals(ProcessingExceptionHandler.Result.FAIL, outage.result());
        assertTrue(outage.deadLetterQueueRecords().isEmpty());
    }

    @Test
    void theDeserializationHandlerKeepsTheConsumedBytes() {
        DlqDeserializationExceptionHandler handler = new DlqDeserializationExceptionHandler();
        handler.configure(Map.of());
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("sluice-enrich.order-events-repartition", 1, 7L,
                "k".getBytes(), new byte[] {1, 2, 3});
        DeserializationExceptionHandler.Response response = handler.handleError(null, record,
                new SerializationException("not an internal record"));
        assertEquals(DeserializationExceptionHandler.Result.RESUME, response.result());
        ProducerRecord<byte[], byte[]> dead = response.deadLetterQueueRecords().get(0);
        assertEquals("dlq.deserialize", dead.topic());
        assertArrayEquals(new byte[] {1, 2, 3}, dead.value());
        assertEquals("sluice-enrich.order-events-repartition", header(dead, DeadLetterHeaders.SOURCE_TOPIC));
    }

    @Test
    void stagesFollowProcessorNames() {
        assertEquals(Stage.VALIDATE, Stage.ofNode("validate.orders"));
        assertEquals(Stage.LATE, Stage.ofNode("late.product-revenue-hourly"));
        assertEquals(Stage.PROCESS, Stage.ofNode("KSTREAM-MAP-0000000042"));
        assertEquals("dlq.dedupe", Stage.DEDUPE.topic());
    }

    private static RestClientException registryError(Integer code, String name) {
        Error error = new Error();
        error.setErrorCode(code);
        error.setName(name);
        return new RestClientException(error);
    }

    private static String header(ProducerRecord<byte[], byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
