package dev.sluice.app.status;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * Dead-letter records by reason.
 *
 * @param total    records in the dead-letter topics read so far
 * @param caughtUp whether the counts cover the topics up to their end (false while reading a backlog)
 * @param byStage  per stage (the topic {@code dlq.<stage>})
 * @param byCode   per error code
 * @param reasons  per stage, code and validation rule, most first
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
@Schema(name = "DeadLetterCounts")
public record DeadLetterCounts(long total, boolean caughtUp, Map<String, Long> byStage, Map<String, Long> byCode,
        List<ReasonCount> reasons) {

    /**
     * A reason and its count.
     *
     * @param stage the stage
     * @param code  the error code
     * @param rule  the broken validation rule; null for other codes
     * @param count records
     */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @Schema(name = "DeadLetterReason")
    public record ReasonCount(String stage, String code, @Nullable String rule, long count) {
    }
}
