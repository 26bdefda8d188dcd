package dev.sluice.app.status;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The metadata of one dead-letter record (never its key or value).
 *
 * @param topic           dead-letter topic
 * @param partition       its partition
 * @param offset          its offset
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
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
@Schema(name = "DeadLetter")
public record RecentDeadLetter(String topic, int partition, long offset, String timestamp,
        @Nullable String errorTime, @Nullable String stage, @Nullable String code, @Nullable String rule,
        @Nullable String errorClass, @Nullable String sourceTopic, @Nullable Integer sourcePartition,
        @Nullable Long sourceOffset, @Nullable String appVersion) {
}
