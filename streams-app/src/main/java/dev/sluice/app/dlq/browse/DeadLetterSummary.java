package dev.sluice.app.dlq.browse;

import java.time.Instant;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.sluice.app.dlq.DeadLetterMetadata;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * A dead letter by its headers: where it is, why it failed and where it came from; never its key, value or error
 * message (which may quote the value).
 *
 * @param topic           dead-letter topic
 * @param partition       its partition
 * @param offset          its offset
 * @param coordinates     {@code <topic>/<partition>/<offset>}, what the detail and replay endpoints take
 * @param timestamp       the record's timestamp (the original record's), ISO-8601
 * @param errorTime       when it was dead-lettered
 * @param stage           stage that failed
 * @param code            error code
 * @param rule            broken validation rule, if any
 * @param errorClass      class of the exception, if any
 * @param sourceTopic     topic the failing stage read it from
 * @param sourcePartition its partition
 * @param sourceOffset    its offset
 * @param appVersion      version of the app that dead-lettered it
 * @param replayId        for a redriven record that failed again: the redrive that produced it
 * @param replayOf        for a redriven record that failed again: the dead letter it replayed
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
@Schema(name = "DeadLetterSummary")
public record DeadLetterSummary(String topic, int partition, long offset, String coordinates, String timestamp,
        @Nullable String errorTime, @Nullable String stage, @Nullable String code, @Nullable String rule,
        @Nullable String errorClass, @Nullable String sourceTopic, @Nullable Integer sourcePartition,
        @Nullable Long sourceOffset, @Nullable String appVersion, @Nullable String replayId,
        @Nullable String replayOf) {

    public static DeadLetterSummary of(ConsumerRecord<byte[], byte[]> record) {
        DeadLetterMetadata m = DeadLetterMetadata.of(record.headers());
        return new DeadLetterSummary(record.topic(), record.partition(), record.offset(),
                new DeadLetterCoordinates(record.topic(), record.partition(), record.offset()).toString(),
                Instant.ofEpochMilli(record.timestamp()).toString(), m.errorTime(), m.stage(), m.code(), m.rule(),
                m.errorClass(), m.sourceTopic(), m.sourcePartition(), m.sourceOffset(), m.appVersion(), m.replayId(),
                m.replayOf());
    }
}
