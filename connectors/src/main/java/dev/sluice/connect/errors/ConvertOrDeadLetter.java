package dev.sluice.connect.errors;

import dev.sluice.connect.PluginVersion;
import dev.sluice.connect.errors.ConvertOrDeadLetterConfig.OnFailure;
import java.io.IOException;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.components.Versioned;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.storage.Converter;
import org.apache.kafka.connect.transforms.Transformation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last transform of a source connector: converts each record's key and value to bytes with the configured
 * converter (the connector's own converters then pass the bytes through), and, in mode {@code dead-letter}, turns a
 * record the converter rejects as bad data into a record of the dead-letter topic instead of failing the task.
 *
 * <p>Why a transform and not a wrapping converter: a converter cannot skip a record. A failing converter either
 * fails the task or, with {@code errors.tolerance=all}, makes Connect drop the record - and with it every record
 * that fails for any other reason (an unreachable registry, a failing transform). Here the dead letter is an
 * ordinary record of the connector, with the same source position: Connect's producer sends it and commits that
 * position only once it is acknowledged, exactly as for a good record; nothing is dropped, and everything that is
 * not bad data still fails the task.
 */
public final class ConvertOrDeadLetter<R extends ConnectRecord<R>> implements Transformation<R>, Versioned {

    private static final Logger LOG = LoggerFactory.getLogger(ConvertOrDeadLetter.class);

    private Converter keyConverter;
    private Converter valueConverter;
    private OnFailure onFailure;
    private String topic;

    @Override
    public void configure(Map<String, ?> props) {
        ConvertOrDeadLetterConfig config = new ConvertOrDeadLetterConfig(props);
        keyConverter = config.newConverter();
        keyConverter.configure(config.converterSettings(), true);
        valueConverter = config.newConverter();
        valueConverter.configure(config.converterSettings(), false);
        onFailure = config.onFailure();
        topic = config.topic();
    }

    @Override
    public R apply(R record) {
        if (record == null) {
            return null;
        }
        if (topic.equals(record.topic()) && (record.value() == null || record.value() instanceof byte[])) {
            // A dead letter the connector made itself (a value it could not read): JSON bytes already.
            return record;
        }
        byte[] key;
        byte[] value;
        try {
            // Without Kafka headers: bytes are all that reaches the topic, a converter's headers would be lost.
            key = keyConverter.fromConnectData(record.topic(), record.keySchema(), record.key());
            value = valueConverter.fromConnectData(record.topic(), record.valueSchema(), record.value());
        } catch (DataException e) {
            if (onFailure == OnFailure.FAIL || !isBadData(e)) {
                throw e;
            }
            return SourceDeadLetter.record(record, e, topic);
        }
        return record.newRecord(record.topic(), record.kafkaPartition(), Schema.OPTIONAL_BYTES_SCHEMA, key,
                Schema.OPTIONAL_BYTES_SCHEMA, value, record.timestamp(), record.headers());
    }

    /**
     * Whether the converter rejected the data itself. A failure to reach or to be accepted by the schema registry
     * is no property of the record: dead-lettering it would empty the topic into the dead letters during an outage.
     */
    static boolean isBadData(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof IOException || t.getClass().getName().startsWith("io.apicurio.registry.rest.client")) {
                return false;
            }
        }
        return true;
    }

    @Override
    public ConfigDef config() {
        return ConvertOrDeadLetterConfig.CONFIG_DEF;
    }

    @Override
    public String version() {
        return PluginVersion.get();
    }

    @Override
    public void close() {
        closeQuietly(keyConverter);
        closeQuietly(valueConverter);
    }

    private static void closeQuietly(Converter converter) {
        if (converter == null) {
            return;
        }
        try {
            converter.close();
        } catch (Exception e) {
            LOG.warn("Converter did not close cleanly: {}", e.toString());
        }
    }
}
