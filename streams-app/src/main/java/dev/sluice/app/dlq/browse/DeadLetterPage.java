package dev.sluice.app.dlq.browse;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * A page of dead letters in topic, partition and offset order.
 *
 * @param items      the dead letters
 * @param nextCursor pass as {@code cursor} for the next page; null on the last page
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
@Schema(name = "DeadLetterPage")
public record DeadLetterPage(List<DeadLetterSummary> items, @Nullable String nextCursor) {
}
