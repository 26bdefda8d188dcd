package dev.sluice.connect.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.sluice.embedded.EmbeddedPlatformExtension;
import dev.sluice.embedded.RegistryServer;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;

/**
 * The sink's in-task decoding against the real registry: a value it cannot decode is bad data (dead-lettered), a
 * registry it cannot reach is not (the task pauses and the records come again).
 */
@ExtendWith(EmbeddedPlatformExtension.class)
class RegistryValueDecoderIT {

    private static final Schema ORDER = SchemaBuilder.record("Order").namespace("dev.sluice.test").fields()
            .requiredLong("id").requiredString("region").endRecord();

    @Test
    void aFramedValueIsDecodedToConnectDataKeepingEverythingElse(RegistryServer registry) {
        byte[] bytes = serialize(registry, "silver.decoder-test", 42L);
        SinkRecord in = new SinkRecord("silver.decoder-test", 2, null, "k", null, bytes, 17L, 1234L,
                org.apache.kafka.common.record.TimestampType.CREATE_TIME);
        SinkRecord out = new RegistryValueDecoder(registry.registryV2Url()).decode(in);
        Struct value = (Struct) out.value();
        assertEquals(42L, value.getInt64("id"));
        assertEquals("EU", value.getString("region"));
        assertEquals(17L, out.kafkaOffset());
        assertEquals(2, out.kafkaPartition());
        assertEquals("k", out.key());
        assertEquals(1234L, out.timestamp());
    }

    @Test
    void aTombstoneStaysATombstone(RegistryServer registry) {
        SinkRecord tombstone = record(null);
        assertSame(tombstone, new RegistryValueDecoder(registry.registryV2Url()).decode(tombstone));
    }

    @Test
    void bytesThatAreNotFramedAvroAreBadData(RegistryServer registry) {
        RegistryValueDecoder decoder = new RegistryValueDecoder(registry.registryV2Url());
        DataException json = assertThrows(DataException.class,
                () -> decoder.decode(record("{\"not\":\"avro\"}".getBytes(StandardCharsets.UTF_8))));
        assertTrue(json.getMessage().contains("Confluent wire format"), json.getMessage());
        assertThrows(DataException.class, () -> decoder.decode(record(new byte[] {0, 0, 1})));
    }

    @Test
    void aSchemaIdTheRegistryNeverIssuedIsBadDataNotAnOutage(RegistryServer registry) {
        byte[] unknown = ByteBuffer.allocate(9).put((byte) 0).putInt(987_654_321).putInt(7).array();
        DataException e = assertThrows(DataException.class,
                () -> new RegistryValueDecoder(registry.registryV2Url()).decode(record(unknown)));
        assertTrue(e.getMessage().contains("987654321"), e.getMessage());
    }

    @Test
    void aValueThatIsNotBytesNamesTheConverterToUse(RegistryServer registry) {
        DataException e = assertThrows(DataException.class,
                () -> new RegistryValueDecoder(registry.registryV2Url()).decode(record("text")));
        assertTrue(e.getMessage().contains("ByteArrayConverter"), e.getMessage());
    }

    @Test
    void aRegistryThatCannotBeReachedIsRetriable(RegistryServer registry) throws IOException {
        byte[] bytes = serialize(registry, "silver.decoder-outage", 1L);
        RegistryValueDecoder decoder = new RegistryValueDecoder("http://127.0.0.1:" + closedPort()
                + "/apis/registry/v2");
        RetriableException e = assertThrows(RetriableException.class, () -> decoder.decode(record(bytes)));
        assertTrue(e.getMessage().contains("cannot be reached"), e.getMessage());
    }

    private static SinkRecord record(Object value) {
        return new SinkRecord("silver.decoder-test", 0, null, "k", null, value, 5L);
    }

    private static byte[] serialize(RegistryServer registry, String topic, long id) {
        try (AvroKafkaSerializer<Object> serializer = new AvroKafkaSerializer<>()) {
            serializer.configure(Map.of("apicurio.registry.url", registry.registryV2Url(),
                    "apicurio.registry.auto-register", "true", "apicurio.registry.as-confluent", "true",
                    "apicurio.registry.use-id", "contentId", "apicurio.registry.headers.enabled", "false"), false);
            GenericData.Record order = new GenericData.Record(ORDER);
            order.put("id", id);
            order.put("region", "EU");
            return serializer.serialize(topic, order);
        }
    }

    /** A port on 127.0.0.1 that nothing listens on (bound, then released). */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return socket.getLocalPort();
        }
    }
}
