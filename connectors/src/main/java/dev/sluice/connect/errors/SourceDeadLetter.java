package dev.sluice.connect.errors;

import java.time.Instant;
import java.util.Map;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.header.Headers;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The headers and the one log line of a source dead letter, the same whether the converter rejected the record
 * ({@link ConvertOrDeadLetter}), a value has no representation in its schema (the CDC decimals transform) or the
 * connector could not read a value (the JDBC source).
 */
public final class SourceDeadLetter {

    private static final Logger LOG = LoggerFactory.getLogger(SourceDeadLetter.class);

    private SourceDeadLetter() {
    }

    /**
     * The record's own headers followed by the dead-letter headers, and the log line saying so.
     *
     * @param topic    the topic the record was headed for
     * @param position the connector's source offset of the record; null when it has none
     */
    public static Headers headersAndLog(Headers original, Throwable failure, String topic, String table,
            Map<String, ?> position, String deadLetterTopic) {
        String positionText = position == null ? "" : RawJson.text(position);
        String reason = sanitise(String.valueOf(failure.getMessage()));
        Headers headers = new ConnectHeaders();
        if (original != null) {
            original.forEach(headers::add);
        }
        headers.addString(SourceDeadLetterHeaders.ERROR_CODE, SourceDeadLetterHeaders.CODE_SERIALIZATION_FAILED);
        headers.addString(SourceDeadLetterHeaders.ERROR_MESSAGE, reason);
        headers.addString(SourceDeadLetterHeaders.ERROR_CLASS, failure.getClass().getName());
        headers.addString(SourceDeadLetterHeaders.STAGE, SourceDeadLetterHeaders.STAGE_SOURCE);
        headers.addString(SourceDeadLetterHeaders.SOURCE_TOPIC, topic);
        Object lsn = position == null ? null : position.get("lsn");
        if (lsn != null) {
            headers.addString(SourceDeadLetterHeaders.SOURCE_OFFSET, lsn.toString());
        }
        headers.addString(SourceDeadLetterHeaders.SOURCE_TABLE, table);
        headers.addString(SourceDeadLetterHeaders.SOURCE_POSITION, positionText);
        headers.addString(SourceDeadLetterHeaders.TIME, Instant.now().toString());
        // The key is left out of the log line: it may be personal data. The dead letter itself holds it.
        LOG.warn("Source record dead-lettered topic={} table={} position={} deadLetterTopic={} reason={}",
                topic, table, positionText, deadLetterTopic, reason);
        return headers;
    }

    /**
     * The record as a dead letter: key and value as JSON, the dead-letter headers, the same source position (Connect
     * commits it only once the dead letter is in Kafka), and the one log line.
     *
     * @param failure why the record cannot go to its topic; its message is the reason
     */
    public static <R extends ConnectRecord<R>> R record(R record, Throwable failure, String deadLetterTopic) {
        Map<String, ?> position = record instanceof SourceRecord source ? source.sourceOffset() : null;
        Headers headers = headersAndLog(record.headers(), failure, record.topic(), table(record), position,
                deadLetterTopic);
        return record.newRecord(deadLetterTopic, null, Schema.OPTIONAL_BYTES_SCHEMA, json(record.key()),
                Schema.OPTIONAL_BYTES_SCHEMA, json(record.value()), record.timestamp(), headers);
    }

    /**
     * The table of a record: the JDBC source's source partition names it, Debezium's unwrapped rows carry it in
     * {@code __table} and its change events in {@code source.table} (the partition is the server); otherwise the
     * topic says it.
     */
    public static String table(ConnectRecord<?> record) {
        if (record instanceof SourceRecord source && source.sourcePartition() != null) {
            Object table = source.sourcePartition().get("table");
            if (table == null) {
                table = source.sourcePartition().get("query");
            }
            if (table != null) {
                return table.toString();
            }
        }
        if (record.value() instanceof Struct struct) {
            if (struct.schema().field("__table") != null && struct.get("__table") != null) {
                return struct.get("__table").toString();
            }
            if (struct.schema().field("source") != null && struct.get("source") instanceof Struct source
                    && source.schema().field("table") != null && source.get("table") != null) {
                return source.get("table").toString();
            }
        }
        return record.topic();
    }

    /** JSON of a key or value that failed, for the dead letter's key and value; null for null. */
    public static byte[] json(Object value) {
        return RawJson.bytes(value);
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
}
