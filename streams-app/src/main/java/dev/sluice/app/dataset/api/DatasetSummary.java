package dev.sluice.app.dataset.api;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * A dataset in the list.
 *
 * @param name        the dataset's name
 * @param description its description; null when it has none
 * @param kind        cdc, jdbc or topic; null when the specification is invalid
 * @param bronzeTopic the topic it is read from
 * @param silverTopic the topic it is written to
 * @param error       why the file is not a valid specification (naming the field); null when it is
 * @param status      what its records did; null when the specification is invalid
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
@Schema(name = "DatasetSummary")
public record DatasetSummary(String name, @Nullable String description, @Nullable String kind,
        @Nullable String bronzeTopic, @Nullable String silverTopic, @Nullable String error,
        @Nullable DatasetStatus status) {
}
