package dev.sluice.app.serde;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Avro serdes backed by the schema registry, in the Confluent wire format (magic byte 0, 4-byte content id) that
 * Apicurio's serdes and Connect converter write with {@code as-confluent=true, use-id=contentId}: one
 * {@link SchemaCache} and one registry client for the whole application, ids resolved once
 * ({@link ConfluentWireSerde}). Schemas of silver and gold topics are registered under {@code <topic>-value} at
 * startup ({@link #registerWriters(Map)}) or, if the registry is down then, on first write.
 * <p>
 * The ids come from a {@link SchemaSource}: the registry in the service; a topology test gives a map-backed one and
 * keeps everything else, wire format and cache included, as the service runs it.
 */
public final class RegistrySerdes {

    private final SchemaCache cache;
    private final ConfluentWireSerde<Object> generic;
    private final Map<Class<?>, ConfluentWireSerde<?>> specific = new ConcurrentHashMap<>();

    /** The serdes of the service: schema ids from the registry at {@code sluice.registry.url}. */
    public RegistrySerdes(RegistrySettings settings) {
        this(new RegistryClient(settings.apiV2Url(), settings.getRequestTimeout()), settings);
    }

    /** The serdes over ids from {@code source}, cached as {@code settings} say. */
    public RegistrySerdes(SchemaSource source, RegistrySettings settings) {
        this.cache = new SchemaCache(source, settings.getUnknownIdTtl(), settings.getUnknownIdMax(),
                settings.getOutageRetry());
        this.generic = ConfluentWireSerde.generic(cache);
    }

    public SchemaCache cache() {
        return cache;
    }

    /** A deserializer of any Avro record to {@link org.apache.avro.generic.GenericRecord}, schema from the id. */
    public Deserializer<Object> genericDeserializer(boolean isKey) {
        return generic.deserializer();
    }

    /**
     * The value serde of records with schemas of their own (the derived silver schemas): written under
     * {@code <topic>-value} with the id of each record's schema, read as {@link GenericRecord} with the writer's.
     */
    public Serde<GenericRecord> genericRecords() {
        return Serdes.serdeFrom(new GenericRecordSerializer(cache),
                (topic, bytes) -> (GenericRecord) generic.decode(bytes));
    }

    /**
     * The value serde of a generated Avro class, one per class; reads older writer schemas into it by Avro schema
     * resolution. Thread-safe.
     */
    public <T extends SpecificRecord> Serde<T> specific(Class<T> type) {
        return wire(type);
    }

    @SuppressWarnings("unchecked")
    private <T extends SpecificRecord> ConfluentWireSerde<T> wire(Class<T> type) {
        return (ConfluentWireSerde<T>) specific.computeIfAbsent(type, t -> ConfluentWireSerde.specific(type, cache));
    }

    /**
     * Registers the writer schema of each output topic's class (topic → class) now, so that no record waits for a
     * registration; stops at the first failure (the registry is down: the rest register on first write).
     *
     * @return whether all were registered
     */
    public boolean registerWriters(Map<String, Class<? extends SpecificRecord>> outputs) {
        for (Map.Entry<String, Class<? extends SpecificRecord>> output : outputs.entrySet()) {
            if (!wire(output.getValue()).tryRegister(output.getKey())) {
                return false;
            }
        }
        return true;
    }
}
