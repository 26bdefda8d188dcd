package dev.sluice.app.retention;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import dev.sluice.app.connect.ConnectErrorHandlers;
import dev.sluice.app.connect.Problem;
import dev.sluice.lake.retention.RetentionSettings;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * REST API of lake retention: the settings, what would be deleted now and what the last runs deleted, and a
 * trigger, which needs the API token when one is configured. The plan lists the lake, so requests run off the
 * event loop.
 */
@Controller("/api/lake/retention")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "retention", description = "Retention of the lake's hour partitions per zone")
public class RetentionController {

    private final RetentionRuns runs;

    public RetentionController(@Nullable RetentionRuns runs) {
        this.runs = runs;
    }

    @Get
    @Operation(operationId = "retention",
            summary = "Settings, what a run would delete now (a dry run) and what the last runs deleted")
    public RetentionView retention() {
        if (runs == null) {
            return new RetentionView(false, null, null, List.of());
        }
        RetentionSettings s = runs.janitor().settings();
        RetentionView.Settings settings = new RetentionView.Settings(s.bucket(), s.zone().getId(),
                runs.dryRunByDefault(), texts(s.zones()), texts(s.topics()), s.openHourGuard().toString(),
                s.multipartMaxAge().toString());
        return new RetentionView(true, settings, runs.plan(), runs.history());
    }

    @Post("/runs")
    @SecurityRequirement(name = "bearer")
    @Operation(operationId = "startRetention", summary = "Start a retention run now",
            description = "The run goes on in the background; poll GET /api/lake/retention/runs/{id}. dryRun "
                    + "defaults to sluice.compaction.retention.dry-run.")
    @ApiResponse(responseCode = "202", description = "started; Location names the run")
    @ApiResponse(responseCode = "409", description = "a run is already in progress",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "503", description = "retention is not enabled",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public HttpResponse<?> start(@QueryValue @Nullable Boolean dryRun) {
        if (runs == null) {
            return ConnectErrorHandlers.problem(new Problem(503, "Retention disabled", "lake retention is not "
                    + "enabled on this service (sluice.compaction.enabled and sluice.compaction.retention.enabled)",
                    null));
        }
        Optional<RetentionRunView> started = runs.start(RetentionRunView.Trigger.API,
                dryRun == null ? runs.dryRunByDefault() : dryRun);
        if (started.isEmpty()) {
            return ConnectErrorHandlers.problem(new Problem(409, "Retention running",
                    "a retention run is in progress; see /api/lake/retention", null));
        }
        return HttpResponse.accepted(URI.create("/api/lake/retention/runs/" + started.get().id()))
                .body(started.get());
    }

    @Get("/runs/{id}")
    @Operation(operationId = "getRetentionRun", summary = "One run, in progress or finished")
    @ApiResponse(responseCode = "200", description = "the run")
    @ApiResponse(responseCode = "404", description = "no such run (or no longer remembered)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public HttpResponse<?> run(@PathVariable long id) {
        Optional<RetentionRunView> run = runs == null ? Optional.empty() : runs.find(id);
        return run.<HttpResponse<?>>map(HttpResponse::ok).orElseGet(() -> ConnectErrorHandlers.problem(
                new Problem(404, "No such run", "retention run " + id + " is not remembered", null)));
    }

    private static Map<String, String> texts(Map<String, Duration> durations) {
        Map<String, String> texts = new TreeMap<>();
        durations.forEach((key, value) -> texts.put(key, value.toString()));
        return texts;
    }
}
