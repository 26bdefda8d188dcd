package dev.sluice.app.dlq.replay;

import java.util.List;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * What to redrive: explicit dead letters ({@code coordinates}), or those matching a filter as in the browse
 * endpoint; with {@code dryRun} only counted.
 *
 * @param stage       stage, e.g. validate
 * @param code        error code
 * @param rule        broken validation rule
 * @param source      source record: {@code <topic>}, {@code <topic>/<partition>} or
 *                    {@code <topic>/<partition>/<offset>}
 * @param from        dead-lettered at or after, ISO-8601
 * @param to          dead-lettered before, ISO-8601
 * @param coordinates dead letters as {@code <dlq topic>/<partition>/<offset>}; when given, the filter is not used
 * @param limit       at most this many dead letters are selected (default and maximum 10,000)
 * @param dryRun      count what would be redriven, change nothing
 */
@Serdeable
@Schema(name = "ReplayRequest")
public record ReplayRequest(@Nullable String stage, @Nullable String code, @Nullable String rule,
        @Nullable String source, @Nullable String from, @Nullable String to, @Nullable List<String> coordinates,
        @Nullable Integer limit, boolean dryRun) {
}
