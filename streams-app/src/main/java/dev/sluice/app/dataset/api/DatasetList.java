package dev.sluice.app.dataset.api;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.sluice.app.dataset.restart.RestartState;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * Every dataset of the directory.
 *
 * @param directory the dataset directory ({@code sluice.datasets.dir})
 * @param restart   whether the running topology carries the directory as it is now
 * @param datasets  the datasets by name
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
@Schema(name = "DatasetList")
public record DatasetList(String directory, RestartState restart, List<DatasetSummary> datasets) {
}
