package dev.sluice.app.silver;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

import dev.sluice.lake.KafkaColumns;

/**
 * Lineage headers every silver and gold record carries, next to the source record's own headers: where it came
 * from, when the pipeline took it in, and which pipeline version made it.
 */
public final class Lineage {

    // The names are the lake's (KafkaColumns): the S3 sink turns these headers into __lineage_* columns.

    /** {@code <topic>/<partition>/<offset>} of the bronze record (silver) or the source topic (gold). */
    public static final String SOURCE = KafkaColumns.SOURCE_HEADER;
    /** When the pipeline ingested the bronze record, ISO-8601 UTC. */
    public static final String INGESTED_AT = KafkaColumns.INGESTED_AT_HEADER;
    /** Version of streams-app. */
    public static final String PIPELINE_VERSION = KafkaColumns.PIPELINE_VERSION_HEADER;

    private Lineage() {
    }

    /** A copy of {@code original} with the lineage headers set (replacing earlier values). */
    public static Headers stamp(Headers original, String source, long ingestedAtMs, String version) {
        RecordHeaders headers = new RecordHeaders();
        if (original != null) {
            for (Header header : original) {
                if (!header.key().equals(SOURCE) && !header.key().equals(INGESTED_AT)
                        && !header.key().equals(PIPELINE_VERSION)) {
                    headers.add(header.key(), header.value());
                }
            }
        }
        headers.add(SOURCE, source.getBytes(StandardCharsets.UTF_8));
        headers.add(INGESTED_AT, Instant.ofEpochMilli(ingestedAtMs).toString().getBytes(StandardCharsets.UTF_8));
        headers.add(PIPELINE_VERSION, version.getBytes(StandardCharsets.UTF_8));
        return headers;
    }
}
