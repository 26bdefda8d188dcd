package dev.sluice.connect.s3;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;

import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;

import io.apicurio.registry.rest.client.exception.RestClientException;
import io.apicurio.registry.utils.converter.AvroConverter;

/**
 * Decodes record values inside the task ({@link S3ParquetSinkConfig#VALUE_REGISTRY_URL}): Avro in the Confluent wire
 * format, through the registry, to Connect data. Decoding here rather than in the worker's converter stage tells a
 * registry that cannot be reached (a {@link RetriableException}: the task pauses and Connect delivers the records
 * again) from a value that cannot be decoded (a {@link DataException}: the task dead-letters it with the records of
 * its file group, so exactly once). The worker's converter stage treats both alike and, with errors.tolerance=all,
 * dead-letters good records during an outage, and again after each restart.
 */
final class RegistryValueDecoder {

    private final AvroConverter converter = new AvroConverter();

    RegistryValueDecoder(String registryUrl) {
        converter.configure(Map.of("apicurio.registry.url", registryUrl, "apicurio.registry.as-confluent", "true",
                "apicurio.registry.use-id", "contentId", "apicurio.registry.headers.enabled", "false"), false);
    }

    /** {@code record} with its value decoded; a null value (tombstone) stays null. */
    SinkRecord decode(SinkRecord record) {
        Object value = record.value();
        if (value == null) {
            return record;
        }
        if (!(value instanceof byte[] bytes)) {
            throw new DataException(S3ParquetSinkConfig.VALUE_REGISTRY_URL + " is set, so values must arrive as bytes "
                    + "(value.converter=org.apache.kafka.connect.converters.ByteArrayConverter), not as "
                    + value.getClass().getSimpleName());
        }
        if (bytes.length < 5 || bytes[0] != 0) {
            throw new DataException("the value is not Avro in the Confluent wire format (magic byte 0, then a 4-byte "
                    + "schema id)");
        }
        SchemaAndValue decoded;
        try {
            decoded = converter.toConnectData(record.topic(), bytes);
        } catch (RuntimeException e) {
            int schemaId = ByteBuffer.wrap(bytes, 1, 4).getInt();
            if (unreachable(e)) {
                throw new RetriableException("the schema registry cannot be reached to decode schema id " + schemaId
                        + "; the records are delivered again: " + rootMessage(e), e);
            }
            throw new DataException("cannot decode the value with schema id " + schemaId + ": " + rootMessage(e), e);
        }
        return record.newRecord(record.topic(), record.kafkaPartition(), record.keySchema(), record.key(),
                decoded.schema(), decoded.value(), record.timestamp(), record.headers());
    }

    /**
     * Whether {@code e} comes from not reaching the registry, or from the registry failing (5xx), not from what it
     * answered about the id (4xx). Apicurio's client reports an I/O failure as a {@link RestClientException} without
     * a cause and without an HTTP status.
     */
    static boolean unreachable(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof IOException) {
                return true;
            }
            if (cause instanceof RestClientException rest) {
                Integer status = rest.getError() == null ? null : rest.getError().getErrorCode();
                return status == null || status >= 500;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root instanceof RestClientException rest && rest.getError() != null) {
            io.apicurio.registry.rest.v2.beans.Error error = rest.getError();
            return (error.getErrorCode() == null ? "" : "HTTP " + error.getErrorCode() + " ") + error.getName()
                    + (error.getMessage() == null ? "" : ": " + error.getMessage());
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }
}
