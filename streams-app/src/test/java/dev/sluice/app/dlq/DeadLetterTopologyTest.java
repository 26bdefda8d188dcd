package dev.sluice.app.dlq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.StreamsException;
import org.junit.jupiter.api.Test;

import dev.sluice.app.failure.ErrorCode;
import dev.sluice.app.failure.Stage;
import dev.sluice.app.metrics.PipelineMetrics;
import dev.sluice.app.testing.BronzeSchemas;
import dev.sluice.app.testing.ConfluentWireWriter;
import dev.sluice.app.testing.Out;
import dev.sluice.app.testing.PipelineDriver;
import dev.sluice.app.testing.Rows;
import dev.sluice.app.validate.ValidationRules;
import dev.sluice.schemas.silver.CleanUserEvent;
import dev.sluice.schemas.silver.Customer;

/**
 * Poison pills and failures end as dead letters in the one documented format (original key, value and headers
 * untouched, plus the error headers), and processing carries on; an unreachable registry stops processing instead.
 */
class DeadLetterTopologyTest {

    private static final byte[] USER = "user-1".getBytes(StandardCharsets.UTF_8);

    @Test
    void undecodableUserEventsAreDeadLetteredWithTheirBytesAndHeaders() {
        try (PipelineDriver pipeline = PipelineDriver.start()) {
            String topic = pipeline.topics().getUserEvents();
            Map<String, byte[]> pills = new HashMap<>();
            pills.put("random bytes", new byte[] {(byte) 0xde, (byte) 0xad, (byte) 0xbe, (byte) 0xef, 1, 2, 3});
            pills.put("wrong magic byte", ByteBuffer.allocate(9).put((byte) 7).putInt(1).putInt(42).array());
            pills.put("unknown schema id", ByteBuffer.allocate(9).put((byte) 0).putInt(987_654_321).putInt(42).array());
            pills.put("json", "{\"event_type\":\"page_view\"}".getBytes(StandardCharsets.UTF_8));
            pills.put("truncated avro", truncatedEvent(pipeline));
            pills.put("not a record", avroString(pipeline, topic));
            for (Map.Entry<String, byte[]> pill : pills.entrySet()) {
                RecordHeaders headers = new RecordHeaders();
                headers.add("trace-id", pill.getKey().getBytes(StandardCharsets.UTF_8));
                pipeline.send(topic, USER, pill.getValue(), headers, PipelineDriver.NOW);
                List<Out<byte[], byte[]>> dead = pipeline.deadLetters(Stage.DESERIALIZE);
                assertEquals(1, dead.size(), pill.getKey());
                Out<byte[], byte[]> letter = dead.get(0);
                assertArrayEquals(USER, letter.key(), pill.getKey() + ": key untouched");
                assertArrayEquals(pill.getValue(), letter.value(), pill.getKey() + ": value bytes untouched");
                assertEquals(pill.getKey(), letter.header("trace-id"), "original headers kept");
                assertEquals(ErrorCode.DESERIALIZATION_FAILED.name(), letter.header(DeadLetterHeaders.ERROR_CODE));
                assertEquals("deserialize", letter.header(DeadLetterHeaders.STAGE));
                assertEquals(topic, letter.header(DeadLetterHeaders.SOURCE_TOPIC));
                assertEquals("0", letter.header(DeadLetterHeaders.SOURCE_PARTITION));
                assertNotNull(letter.header(DeadLetterHeaders.SOURCE_OFFSET));
                assertNotNull(letter.header(DeadLetterHeaders.ERROR_CLASS));
                assertEquals(AppVersion.get(), letter.header(DeadLetterHeaders.APP_VERSION));
                assertEquals(PipelineDriver.NOW, Instant.parse(letter.header(DeadLetterHeaders.TIME)));
                assertFalse(letter.header(DeadLetterHeaders.ERROR_MESSAGE).isBlank());
            }
            // Still alive: a good event after the pills reaches silver.
            pipeline.userEvent(Rows.userEvent("user-1", "page_view", PipelineDriver.NOW.minusSeconds(1)));
            assertEquals(1, pipeline.read(pipeline.topics().getSilverUserEvents(), CleanUserEvent.class).size());
            assertEquals(pills.size(), (int) pipeline.metrics().count(PipelineMetrics.DLQ, "stage", "deserialize",
                    "code", ErrorCode.DESERIALIZATION_FAILED.name()));
        }
    }

    @Test
    void keysThatCannotBeReadAreDeadLettered() {
        try (PipelineDriver pipeline = PipelineDriver.start()) {
            byte[] event = pipeline.bronze().value(pipeline.topics().getUserEvents(), BronzeSchemas.USER_EVENT,
                    Rows.userEvent("user-1", "page_view", PipelineDriver.NOW));
            pipeline.send(pipeline.topics().getUserEvents(), new byte[] {(byte) 0xc3, (byte) 0x28}, event);
            byte[] customer = pipeline.bronze().value(pipeline.topics().getCustomers(), BronzeSchemas.CUSTOMER,
                    Rows.customer(5));
            pipeline.send(pipeline.topics().getCustomers(), null, customer);
            pipeline.send(pipeline.topics().getCustomers(), "5".getBytes(StandardCharsets.UTF_8), customer);
            List<Out<byte[], byte[]>> dead = pipeline.deadLetters(Stage.DESERIALIZE);
            assertEquals(3, dead.size());
            assertTrue(dead.get(0).header(DeadLetterHeaders.ERROR_MESSAGE).contains("UTF-8"));
            assertTrue(dead.get(1).header(DeadLetterHeaders.ERROR_MESSAGE).contains("no key"));
            assertEquals(List.of(), pipeline.read(pipeline.topics().getSilverCustomers(), Customer.class));
        }
    }

    @Test
    void aRecordWhoseProcessingThrowsIsDeadLetteredByTheExceptionHandler() {
        // Rules that check nothing let a record with an unreadable timestamp reach the mapping, which throws.
        Map<String, Object> lax = new HashMap<>();
        for (String entity : List.of("customers", "products", "orders", "order_items", "exchange_rates",
                "product_catalog", "user_events")) {
            lax.put(entity + ".max-record-bytes", 100_000);
        }
        try (PipelineDriver pipeline = PipelineDriver.start(o -> o.rules = ValidationRules.parse(lax))) {
            Map<String, Object> broken = Rows.customer(9);
            broken.put("created_at", "the day before yesterday");
            String topic = pipeline.topics().getCustomers();
            byte[] key = pipeline.bronze().key(topic, BronzeSchemas.CUSTOMER_KEY, 9L);
            byte[] value = pipeline.bronze().value(topic, BronzeSchemas.CUSTOMER, broken);
            pipeline.send(topic, key, value);
            pipeline.customer(Rows.customer(10));

            List<Out<byte[], byte[]>> dead = pipeline.deadLetters(Stage.ENRICH);
            assertEquals(1, dead.size());
            assertArrayEquals(key, dead.get(0).key());
            assertArrayEquals(value, dead.get(0).value());
            assertEquals(ErrorCode.PROCESSING_FAILED.name(), dead.get(0).header(DeadLetterHeaders.ERROR_CODE));
            assertEquals("enrich", dead.get(0).header(DeadLetterHeaders.STAGE));
            assertEquals(topic, dead.get(0).header(DeadLetterHeaders.SOURCE_TOPIC));
            assertTrue(dead.get(0).header(DeadLetterHeaders.ERROR_MESSAGE).contains("created_at"));
            List<Out<String, Customer>> silver = pipeline.read(pipeline.topics().getSilverCustomers(), Customer.class);
            assertEquals(List.of("10"), silver.stream().map(Out::key).toList(), "processing carried on");
        }
    }

    @Test
    void anUnreachableRegistryStopsProcessingInsteadOfDeadLetteringGoodRecords()
            throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String deadRegistry = "http://127.0.0.1:" + closedPort;
        try (PipelineDriver pipeline = PipelineDriver.start(o -> o.topologyRegistryUrl = deadRegistry)) {
            assertThrows(StreamsException.class, () -> pipeline.userEvent(
                    Rows.userEvent("user-1", "page_view", PipelineDriver.NOW)));
            for (Stage stage : Stage.values()) {
                assertEquals(List.of(), pipeline.deadLetters(stage), stage.topic());
            }
        }
    }

    private static byte[] truncatedEvent(PipelineDriver pipeline) {
        byte[] event = pipeline.bronze().value(pipeline.topics().getUserEvents(), BronzeSchemas.USER_EVENT,
                Rows.userEvent("user-1", "page_view", PipelineDriver.NOW));
        return Arrays.copyOf(event, 12);
    }

    private static byte[] avroString(PipelineDriver pipeline, String topic) {
        return new ConfluentWireWriter(pipeline.schemas()).write(topic + ".plain-strings-value",
                Schema.create(Schema.Type.STRING), "just a string");
    }
}
