package dev.sluice.app.dataset.api;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.sluice.app.dataset.restart.RestartState;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * One dataset: its specification as stored (YAML) and as JSON, and its status.
 *
 * @param name    the dataset's name
 * @param file    its file in the dataset directory
 * @param yaml    the specification as stored
 * @param spec    the same as JSON (the YAML's tree); null when the file is not valid YAML
 * @param error   why the file is not a valid specification (naming the field); null when it is
 * @param status  what its records did; null when the specification is invalid
 * @param restart whether the running topology carries the directory as it is now
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
@Schema(name = "Dataset")
public record DatasetView(String name, String file, String yaml, @Nullable Map<String, Object> spec,
        @Nullable String error, @Nullable DatasetStatus status, RestartState restart) {
}
