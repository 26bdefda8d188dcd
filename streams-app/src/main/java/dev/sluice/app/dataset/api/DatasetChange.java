package dev.sluice.app.dataset.api;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.sluice.app.dataset.restart.RestartState;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The outcome of a PUT or DELETE.
 *
 * @param name    the dataset
 * @param file    its file in the dataset directory
 * @param outcome {@code valid} (validate-only: every check passed, nothing changed), {@code applied} (the actions
 *                ran and the file was written) or {@code deleted}
 * @param actions the dataset actions that checked (validate-only), applied or removed it, in order
 * @param restart whether the running topology carries the directory as it is now: after a change, usually
 *                {@code pending-restart} with the command that applies it
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
@Schema(name = "DatasetChange")
public record DatasetChange(String name, String file, String outcome, List<String> actions, RestartState restart) {
}
