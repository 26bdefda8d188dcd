package dev.sluice.connect.errors;

import dev.sluice.connect.PluginVersion;
import dev.sluice.connect.errors.ConvertOrDeadLetterConfig.OnFailure;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.components.Versioned;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.header.Headers;
import org.apache.kafka.connect.source.SourceRecord;
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
            return deadLetter(record, e);
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

    private R deadLetter(R record, DataException failure) {
        Map<String, ?> position = record instanceof SourceRecord source ? source.sourceOffset() : null;
        String positionText = position == null ? "" : RawJson.text(position);
        String table = table(record);
        String reason = sanitise(String.valueOf(failure.getMessage()));
        Headers headers = new ConnectHeaders();
        record.headers().forEach(headers::add);
        headers.addString(SourceDeadLetterHeaders.ERROR_CODE, SourceDeadLetterHeaders.CODE_SERIALIZATION_FAILED);
        headers.addString(SourceDeadLetterHeaders.ERROR_MESSAGE, reason);
        headers.addString(SourceDeadLetterHeaders.ERROR_CLASS, failure.getClass().getName());
        headers.addString(SourceDeadLetterHeaders.STAGE, SourceDeadLetterHeaders.STAGE_SOURCE);
        headers.addString(SourceDeadLetterHeaders.SOURCE_TOPIC, record.topic());
        Object lsn = position == null ? null : position.get("lsn");
        if (lsn != null) {
            headers.addString(SourceDeadLetterHeaders.SOURCE_OFFSET, lsn.toString());
        }
        headers.addString(SourceDeadLetterHeaders.SOURCE_TABLE, table);
        headers.addString(SourceDeadLetterHeaders.SOURCE_POSITION, positionText);
        headers.addString(SourceDeadLetterHeaders.TIME, Instant.now().toString());
        // The key is left out of the log line: it may be personal data. The dead letter itself holds it.
        LOG.warn("Source record dead-lettered topic={} table={} position={} deadLetterTopic={} reason={}",
                record.topic(), table, positionText, topic, reason);
        return record.newRecord(topic, null, Schema.OPTIONAL_BYTES_SCHEMA, RawJson.bytes(record.key()),
                Schema.OPTIONAL_BYTES_SCHEMA, RawJson.bytes(record.value()), record.timestamp(), headers);
    }

    /**
     * The table: the JDBC source's source partition names it, Debezium's unwrapped rows carry it in {@code __table}
     * (the partition is the server); otherwise the topic says it.
     */
    private static String table(ConnectRecord<?> record) {
        if (record instanceof SourceRecord source && source.sourcePartition() != null) {
            Object table = source.sourcePartition().get("table");
            if (table == null) {
                table = source.sourcePartition().get("query");
            }
            if (table != null) {
                return table.toString();
            }
        }
        if (record.value() instanceof Struct struct && struct.schema().field("__table") != null
                && struct.get("__table") != null) {
            return struct.get("__table").toString();
        }
        return record.topic();
    }

    /** Header text echoes the data: no control characters, bounded length. */
    static String sanitise(String text) {
        String bounded = text.length() > SourceDeadLetterHeaders.MAX_MESSAGE_CHARS
                ? text.substring(0, SourceDeadLetterHeaders.MAX_MESSAGE_CHARS) + "..."
                : text;
        StringBuilder out = new StringBuilder(bounded.length());
        bounded.codePoints().forEach(cp -> out.appendCodePoint(
                Character.isISOControl(cp) || Character.getType(cp) == Character.FORMAT ? '?' : cp));
        return out.toString();
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
