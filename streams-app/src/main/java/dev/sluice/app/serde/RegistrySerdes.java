package dev.sluice.app.serde;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

import io.apicurio.registry.serde.SerdeConfig;
import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.apicurio.registry.serde.avro.AvroKafkaSerdeConfig;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;

/**
 * Avro serdes backed by the schema registry, writing and reading the Confluent wire format (magic byte 0, 4-byte
 * content id) through Apicurio's serdes. Schemas of silver and gold topics are registered on first write under
 * {@code <topic>-value}.
 */
public final class RegistrySerdes {

    private final Map<String, Object> config;
    private final Map<Class<?>, Serde<?>> specific = new ConcurrentHashMap<>();

    public RegistrySerdes(RegistrySettings settings) {
        Map<String, Object> c = new HashMap<>();
        c.put(SerdeConfig.REGISTRY_URL, settings.apiV2Url());
        c.put(SerdeConfig.ENABLE_HEADERS, "false");
        c.put(SerdeConfig.ENABLE_CONFLUENT_ID_HANDLER, "true");
        c.put(SerdeConfig.USE_ID, "contentId");
        c.put(SerdeConfig.AUTO_REGISTER_ARTIFACT, "true");
        c.put(SerdeConfig.AUTO_REGISTER_ARTIFACT_IF_EXISTS, "RETURN_OR_UPDATE");
        this.config = Map.copyOf(c);
    }

    /** A deserializer of any Avro record to {@link org.apache.avro.generic.GenericRecord}, schema from the id. */
    public Deserializer<Object> genericDeserializer(boolean isKey) {
        AvroKafkaDeserializer<Object> deserializer = new AvroKafkaDeserializer<>();
        deserializer.configure(config, isKey);
        return deserializer;
    }

    /**
     * The value serde of a generated Avro class, one per class; reads older writer schemas into it by Avro schema
     * resolution. Apicurio's serdes are thread-safe and cache schemas by id.
     */
    @SuppressWarnings("unchecked")
    public <T extends SpecificRecord> Serde<T> specific(Class<T> type) {
        return (Serde<T>) specific.computeIfAbsent(type, t -> newSpecific(type));
    }

    private <T extends SpecificRecord> Serde<T> newSpecific(Class<T> type) {
        Map<String, Object> c = new HashMap<>(config);
        c.put(AvroKafkaSerdeConfig.USE_SPECIFIC_AVRO_READER, "true");
        AvroKafkaSerializer<T> serializer = new AvroKafkaSerializer<>();
        serializer.configure(c, false);
        AvroKafkaDeserializer<T> deserializer = new AvroKafkaDeserializer<>();
        deserializer.configure(c, false);
        return Serdes.serdeFrom(serializer, deserializer);
    }
}
