package dev.sluice.app.dataset.api;

import java.io.UncheckedIOException;

import dev.sluice.app.connect.ConnectErrorHandlers;
import dev.sluice.app.connect.Problem;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Error;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * REST API of the datasets: the specification files of {@code sluice.datasets.dir} (docs/datasets.md). Reads show
 * each dataset's specification and status; a PUT checks a specification completely and, unless validate-only,
 * applies it and writes the file; a DELETE undoes and removes one. The topology runs the directory as it was at
 * start, so every answer says whether a restart is pending. The actions call Kafka Connect and the database, so the
 * handlers run on the blocking executor.
 */
@Controller("/api/datasets")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "datasets", description = "Datasets by configuration: specifications, their status, pending restarts")
public class DatasetController {

    private final DatasetService datasets;
    private final ConnectErrorHandlers errors;

    public DatasetController(DatasetService datasets, ConnectErrorHandlers errors) {
        this.datasets = datasets;
        this.errors = errors;
    }

    @Get
    @Operation(operationId = "listDatasets",
            summary = "Every dataset of the directory with its status, and whether a restart is pending")
    public DatasetList list() {
        return datasets.list();
    }

    @Get("/{name}")
    @Operation(operationId = "getDataset",
            summary = "A dataset: its specification as YAML and as JSON, its status, and whether a restart is pending")
    @ApiResponse(responseCode = "200", description = "the dataset")
    @ApiResponse(responseCode = "404", description = "no such dataset",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public DatasetView get(@PathVariable String name) {
        return datasets.get(name);
    }

    @Put("/{name}")
    @Consumes({"application/yaml", "application/x-yaml", "text/yaml", MediaType.TEXT_PLAIN})
    @SecurityRequirement(name = "bearer")
    @Operation(operationId = "putDataset",
            summary = "Create or replace a dataset from its YAML specification",
            description = "Checks everything first: the specification (errors name the file and the field), its "
                    + "name against the path, and what applying it needs (connectors, tables, topics). Then every "
                    + "dataset action applies it and the file is written atomically; if an action fails, the file "
                    + "is not written and the answer names the action. The running topology changes with a "
                    + "restart: the answer says pending-restart with the command, or that the instance restarts "
                    + "itself (sluice.datasets.apply=restart). validateOnly=true runs every check and changes "
                    + "nothing.")
    @ApiResponse(responseCode = "200", description = "valid (validate-only) or applied")
    @ApiResponse(responseCode = "400", description = "invalid specification, or it cannot be applied",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "409", description = "another dataset writes the same silver topic",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "502", description = "an action failed; nothing was written",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public DatasetChange put(@PathVariable String name, @Body String yaml,
            @Parameter(description = "run every check and change nothing")
            @QueryValue(defaultValue = "false") boolean validateOnly) {
        return datasets.put(name, yaml, validateOnly);
    }

    @Delete("/{name}")
    @SecurityRequirement(name = "bearer")
    @Operation(operationId = "deleteDataset",
            summary = "Remove a dataset: its actions are undone (topics and lake data stay), then its file deleted",
            description = "Refused for the datasets the order enrichment reads (customers, products, "
                    + "exchange_rates).")
    @ApiResponse(responseCode = "200", description = "deleted")
    @ApiResponse(responseCode = "404", description = "no such dataset",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "409", description = "the order enrichment reads its silver topic",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "502", description = "an action failed to remove it; the file was kept",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public DatasetChange delete(@PathVariable String name) {
        return datasets.delete(name);
    }

    @Error(exception = UncheckedIOException.class)
    HttpResponse<Problem> directoryFailed(HttpRequest<?> request, UncheckedIOException e) {
        return errors.handle(request, DatasetService.ioProblem(e));
    }

    /** Anything else: a problem answer, never a stack trace. */
    @Error(exception = RuntimeException.class)
    HttpResponse<Problem> failed(HttpRequest<?> request, RuntimeException e) {
        return errors.handle(request, e);
    }
}
