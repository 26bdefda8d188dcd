package dev.sluice.app.serde;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.util.Utf8;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.sluice.app.dlq.Failures;
import dev.sluice.app.testing.BronzeRecords;
import dev.sluice.app.testing.BronzeSchemas;
import dev.sluice.app.testing.InMemorySchemaSource;
import dev.sluice.app.testing.Rows;
import dev.sluice.embedded.EmbeddedPlatformExtension;
import dev.sluice.embedded.RegistryServer;
import dev.sluice.schemas.silver.EnrichedOrderLine;
import io.apicurio.registry.serde.SerdeConfig;
import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.apicurio.registry.serde.avro.AvroKafkaSerdeConfig;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;

/**
 * The Confluent wire serde against the real registry: what it writes is what Apicurio's serializer writes (same
 * content id, same bytes) and each reads the other's; ids are resolved once; unknown ids are remembered for the
 * TTL of an injected clock; bytes that are not a record of their schema fail as the record's fault; an unreachable
 * registry fails as an outage after the bounded retry, and is never remembered as an unknown id. And the topology
 * tests' in-memory ids frame a record exactly as Apicurio's serializer does.
 */
@ExtendWith(EmbeddedPlatformExtension.class)
class ConfluentWireSerdeIT {

    private static final AtomicInteger TOPICS = new AtomicInteger();

    /** A clock the test moves; sleeping moves it too, so that retries take no real time. */
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final List<Long> sleeps = new ArrayList<>();

    private SchemaCache cache(String registryUrl, Duration ttl) {
        return new SchemaCache(new RegistryClient(new RegistrySettings(registryUrl).apiV2Url(), Duration.ofSeconds(5)),
                ttl, 1_000, Duration.ofSeconds(3), nanos::get, n -> {
                    sleeps.add(n);
                    nanos.addAndGet(n);
                });
    }

    private static String topic() {
        return "wire-serde-test-" + TOPICS.incrementAndGet();
    }

    @Test
    void writesWhatApicurioWritesAndEachReadsTheOther(RegistryServer registry) {
        String topic = topic();
        EnrichedOrderLine line = line();
        Map<String, Object> config = apicurioConfig(registry);
        byte[] apicurioBytes;
        try (AvroKafkaSerializer<EnrichedOrderLine> serializer = new AvroKafkaSerializer<>()) {
            serializer.configure(config, false);
            apicurioBytes = serializer.serialize(topic, line);
        }
        SchemaCache cache = cache(registry.url(), Duration.ofSeconds(60));
        ConfluentWireSerde<EnrichedOrderLine> serde = ConfluentWireSerde.specific(EnrichedOrderLine.class, cache);
        byte[] wireBytes = serde.serializer().serialize(topic, line);

        assertArrayEquals(apicurioBytes, wireBytes, "same content id, same Avro bytes");
        assertEquals(line, serde.deserializer().deserialize(topic, apicurioBytes));
        try (AvroKafkaDeserializer<EnrichedOrderLine> deserializer = new AvroKafkaDeserializer<>()) {
            deserializer.configure(config, false);
            assertEquals(line, deserializer.deserialize(topic, wireBytes), "downstream readers read it");
        }
    }

    @Test
    void registersAWriterSchemaOnceAndReadsItsOwnOutputWithoutAskingTheRegistry(RegistryServer registry) {
        String topic = topic();
        SchemaCache cache = cache(registry.url(), Duration.ofSeconds(60));
        ConfluentWireSerde<EnrichedOrderLine> serde = ConfluentWireSerde.specific(EnrichedOrderLine.class, cache);
        assertTrue(serde.tryRegister(topic));
        long afterRegistration = cache.source().requests();
        List<byte[]> written = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            written.add(serde.serializer().serialize(topic, line()));
        }
        for (byte[] bytes : written) {
            assertEquals(line(), serde.deserializer().deserialize(topic, bytes));
        }
        assertEquals(afterRegistration, cache.source().requests(), "no registry call after the registration");
        ConfluentWireSerde<EnrichedOrderLine> again = ConfluentWireSerde.specific(EnrichedOrderLine.class,
                cache(registry.url(), Duration.ofSeconds(60)));
        assertArrayEquals(written.get(0), again.serializer().serialize(topic, line()),
                "registering the same schema again returns the same id");
    }

    @Test
    void readsBronzeRecordsWithTheirWriterSchemaIntoGenericRecords(RegistryServer registry) {
        String topic = topic();
        byte[] bytes = new BronzeRecords(registry.registryV2Url()).value(topic, BronzeSchemas.ORDER_ITEM,
                Rows.item(7, 2, 3, 4, "19.90"));
        SchemaCache cache = cache(registry.url(), Duration.ofSeconds(60));
        ConfluentWireSerde<Object> generic = ConfluentWireSerde.generic(cache);
        GenericRecord record = (GenericRecord) generic.deserializer().deserialize(topic, bytes);
        assertEquals(BronzeSchemas.ORDER_ITEM, record.getSchema());
        assertEquals(7L, record.get("order_id"));
        assertEquals(4, record.get("quantity"));
        assertEquals(new Utf8("c"), record.get("__op"));
        assertEquals(new BigDecimal("19.90").unscaledValue(),
                new java.math.BigInteger(((ByteBuffer) record.get("unit_price")).array()), "decimals stay bytes");
        long requests = cache.source().requests();
        for (int i = 0; i < 1_000; i++) {
            generic.deserializer().deserialize(topic, bytes);
        }
        assertEquals(requests, cache.source().requests(), "the id is resolved once");
    }

    @Test
    void readsAnOlderWriterSchemaIntoTheClassBySchemaResolution(RegistryServer registry) {
        // An earlier EnrichedOrderLine without the fields added later (they have defaults).
        Schema older = SchemaBuilder.record("EnrichedOrderLine").namespace("dev.sluice.schemas.silver").fields()
                .requiredLong("order_id").requiredInt("line_no").requiredLong("product_id").requiredInt("quantity")
                .name("unit_price").type(EnrichedOrderLine.getClassSchema().getField("unit_price").schema()).noDefault()
                .name("line_amount").type(EnrichedOrderLine.getClassSchema().getField("line_amount").schema())
                .noDefault()
                .requiredString("reporting_currency").requiredString("op").endRecord();
        GenericRecord record = new GenericData.Record(older);
        record.put("order_id", 1L);
        record.put("line_no", 2);
        record.put("product_id", 3L);
        record.put("quantity", 4);
        record.put("unit_price", ByteBuffer.wrap(new BigDecimal("1.50").unscaledValue().toByteArray()));
        record.put("line_amount", ByteBuffer.wrap(new BigDecimal("6.00").unscaledValue().toByteArray()));
        record.put("reporting_currency", "EUR");
        record.put("op", "c");
        String topic = topic();
        byte[] bytes;
        try (AvroKafkaSerializer<Object> serializer = new AvroKafkaSerializer<>()) {
            serializer.configure(apicurioConfig(registry), false);
            bytes = serializer.serialize(topic, record);
        }
        EnrichedOrderLine line = ConfluentWireSerde.specific(EnrichedOrderLine.class,
                cache(registry.url(), Duration.ofSeconds(60))).deserializer().deserialize(topic, bytes);
        assertEquals(3L, line.getProductId());
        assertEquals(new BigDecimal("6.00"), line.getLineAmount());
        assertEquals(List.of(), line.getFlags(), "default of a field the writer did not have");
        assertNull(line.getCurrency());
    }

    @Test
    void anUnknownIdIsAskedForOnceWithinItsTtlAndAgainAfterIt(RegistryServer registry) {
        SchemaCache cache = cache(registry.url(), Duration.ofSeconds(60));
        ConfluentWireSerde<Object> generic = ConfluentWireSerde.generic(cache);
        byte[] bogus = ByteBuffer.allocate(9).put((byte) 0).putInt(987_654_321).putInt(42).array();

        UnknownSchemaIdException first = assertThrows(UnknownSchemaIdException.class,
                () -> generic.deserializer().deserialize("t", bogus));
        assertEquals(987_654_321, first.id());
        assertFalse(Failures.isTransient(first), "the record's fault: dead-lettered");
        long afterFirst = cache.source().requests();
        for (int i = 0; i < 10_000; i++) {
            assertThrows(UnknownSchemaIdException.class, () -> generic.deserializer().deserialize("t", bogus));
        }
        assertEquals(afterFirst, cache.source().requests(), "no registry call within the TTL");
        assertEquals(10_000, cache.unknownIdHits());
        assertEquals(1, cache.unknownIds());

        nanos.addAndGet(Duration.ofSeconds(59).toNanos());
        assertThrows(UnknownSchemaIdException.class, () -> generic.deserializer().deserialize("t", bogus));
        assertEquals(afterFirst, cache.source().requests(), "still within the TTL");
        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThrows(UnknownSchemaIdException.class, () -> generic.deserializer().deserialize("t", bogus));
        assertEquals(afterFirst + 1, cache.source().requests(), "asked again once the TTL passed");
        assertEquals(10_001, cache.unknownIdHits());
    }

    @Test
    void theUnknownIdMemoryIsBounded(RegistryServer registry) {
        SchemaCache cache = new SchemaCache(new RegistryClient(registry.registryV2Url(), Duration.ofSeconds(5)),
                Duration.ofSeconds(60), 3, Duration.ofSeconds(1), nanos::get, nanos::addAndGet);
        ConfluentWireSerde<Object> generic = ConfluentWireSerde.generic(cache);
        for (int id = 900_000_001; id <= 900_000_010; id++) {
            byte[] bogus = ByteBuffer.allocate(6).put((byte) 0).putInt(id).put((byte) 2).array();
            assertThrows(UnknownSchemaIdException.class, () -> generic.deserializer().deserialize("t", bogus));
            assertTrue(cache.unknownIds() <= 3, "at most 3 remembered");
        }
    }

    @Test
    void bytesThatAreNotARecordOfTheirSchemaAreTheRecordsFault(RegistryServer registry) {
        String topic = topic();
        SchemaCache cache = cache(registry.url(), Duration.ofSeconds(60));
        ConfluentWireSerde<EnrichedOrderLine> serde = ConfluentWireSerde.specific(EnrichedOrderLine.class, cache);
        byte[] good = serde.serializer().serialize(topic, line());
        ConfluentWireSerde<Object> generic = ConfluentWireSerde.generic(cache);

        assertNull(serde.deserializer().deserialize(topic, null), "a tombstone stays null");
        Map<String, byte[]> pills = new HashMap<>();
        pills.put("empty", new byte[0]);
        pills.put("shorter than the header", new byte[] {0, 0, 1});
        pills.put("wrong magic byte", ByteBuffer.allocate(9).put((byte) 7).putInt(1).putInt(42).array());
        pills.put("json", "{\"event_type\":\"page_view\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        pills.put("truncated", Arrays.copyOf(good, 12));
        pills.put("header only", Arrays.copyOf(good, 5));
        byte[] garbage = good.clone();
        Arrays.fill(garbage, 5, garbage.length, (byte) 0xff);
        pills.put("garbage after a good header", garbage);
        for (Map.Entry<String, byte[]> pill : pills.entrySet()) {
            for (ConfluentWireSerde<?> reader : List.of(serde, generic)) {
                RuntimeException e = assertThrows(RuntimeException.class,
                        () -> reader.deserializer().deserialize(topic, pill.getValue()), pill.getKey());
                assertInstanceOf(SerializationException.class, e, pill.getKey() + ": " + e);
                assertFalse(Failures.isTransient(e), pill.getKey());
            }
        }
        assertEquals(line(), serde.deserializer().deserialize(topic, good), "still reads good records");
    }

    @Test
    void anUnreachableRegistryIsAnOutageAfterTheBoundedRetryAndNeverAnUnknownId() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        SchemaCache cache = cache("http://127.0.0.1:" + closedPort, Duration.ofSeconds(60));
        ConfluentWireSerde<Object> generic = ConfluentWireSerde.generic(cache);
        byte[] record = ByteBuffer.allocate(9).put((byte) 0).putInt(1).putInt(42).array();

        RegistryUnavailableException down = assertThrows(RegistryUnavailableException.class,
                () -> generic.deserializer().deserialize("t", record));
        assertTrue(Failures.isTransient(down), "stops processing instead of dead-lettering");
        long waited = sleeps.stream().mapToLong(Long::longValue).sum();
        assertTrue(sleeps.size() >= 3, "retried with backoff: " + sleeps);
        assertTrue(waited <= Duration.ofSeconds(3).toNanos(), "within the retry budget: " + waited);
        assertEquals(sleeps.size() + 1, cache.source().requests(), "one request per attempt");
        assertEquals(1, cache.outages());
        assertEquals(0, cache.unknownIds(), "an outage is not an unknown id");

        long before = cache.source().requests();
        assertThrows(RegistryUnavailableException.class, () -> generic.deserializer().deserialize("t", record));
        assertTrue(cache.source().requests() > before, "the next record asks again");

        ConfluentWireSerde<EnrichedOrderLine> writer = ConfluentWireSerde.specific(EnrichedOrderLine.class, cache);
        assertFalse(writer.tryRegister("t"), "registration at startup gives up at once");
        assertTrue(Failures.isTransient(assertThrows(RegistryUnavailableException.class,
                () -> writer.serializer().serialize("t", line()))), "registration on first write is an outage");
    }

    @Test
    void aRegistryUrlThatIsNotAnHttpUrlFailsAtStartup() {
        for (String url : List.of("8081", "127.0.0.1:8081", "ftp://registry/x")) {
            assertThrows(IllegalArgumentException.class, () -> new RegistrySerdes(new RegistrySettings(url)), url);
        }
        assertEquals("http://registry:8080/apis/registry/v2",
                new RegistrySettings("http://registry:8080/").apiV2Url());
    }

    @Test
    void theTopologyTestsInMemoryIdsFrameRecordsAsApicuriosSerializerDoes(RegistryServer registry) {
        String topic = topic();
        Map<String, Object> row = Rows.item(7, 2, 3, 4, "19.90");
        byte[] apicurio = new BronzeRecords(registry.registryV2Url()).value(topic, BronzeSchemas.ORDER_ITEM, row);
        InMemorySchemaSource memory = new InMemorySchemaSource();
        byte[] inMemory = new BronzeRecords(memory).value(topic, BronzeSchemas.ORDER_ITEM, row);

        assertEquals(ConfluentWireSerde.MAGIC, apicurio[0]);
        assertEquals(ConfluentWireSerde.MAGIC, inMemory[0]);
        assertEquals(memory.register(topic + "-value", BronzeSchemas.ORDER_ITEM),
                ByteBuffer.wrap(inMemory, 1, 4).getInt(), "the id of the schema in the source");
        assertArrayEquals(Arrays.copyOfRange(apicurio, ConfluentWireSerde.HEADER, apicurio.length),
                Arrays.copyOfRange(inMemory, ConfluentWireSerde.HEADER, inMemory.length), "the same Avro body");
        Object fromRegistry = ConfluentWireSerde.generic(cache(registry.url(), Duration.ofSeconds(60)))
                .decode(apicurio);
        Object fromMemory = ConfluentWireSerde.generic(new SchemaCache(memory, Duration.ofSeconds(60), 1_000,
                Duration.ofSeconds(3))).decode(inMemory);
        assertEquals(fromRegistry, fromMemory, "the service's serde reads both into the same record");
        assertThrows(UnknownSchemaIdException.class, () -> memory.schemaById(999),
                "an id the source never gave is unknown, as the registry's 404");
    }

    private static Map<String, Object> apicurioConfig(RegistryServer registry) {
        return Map.of(SerdeConfig.REGISTRY_URL, registry.registryV2Url(), SerdeConfig.ENABLE_HEADERS, "false",
                SerdeConfig.ENABLE_CONFLUENT_ID_HANDLER, "true", SerdeConfig.USE_ID, "contentId",
                SerdeConfig.AUTO_REGISTER_ARTIFACT, "true", SerdeConfig.AUTO_REGISTER_ARTIFACT_IF_EXISTS,
                "RETURN_OR_UPDATE", AvroKafkaSerdeConfig.USE_SPECIFIC_AVRO_READER, "true");
    }

    static EnrichedOrderLine line() {
        return SerdeCostBench.line();
    }
}
