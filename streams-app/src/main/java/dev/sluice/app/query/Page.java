package dev.sluice.app.query;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * One page of a key-range query, in key order (then window or session start).
 *
 * @param items the entries of this page
 * @param next  the cursor of the next page (pass it as {@code cursor}); null on the last page
 * @param <T>   the entry type
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
@Schema(description = "One page of a key-range query")
public record Page<T>(List<T> items, @Nullable String next) {
}
