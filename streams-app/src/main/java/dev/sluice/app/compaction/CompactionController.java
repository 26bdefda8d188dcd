package dev.sluice.app.compaction;

import java.net.URI;
import java.util.List;
import java.util.Optional;

import dev.sluice.app.connect.ConnectErrorHandlers;
import dev.sluice.app.connect.Problem;
import dev.sluice.lake.compaction.CompactionEngine;
import dev.sluice.lake.compaction.CompactionSettings;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * REST API of the lake's batch compaction: start a run, see what is running and how it is set up, and the last
 * runs with what they did per partition. Starting needs the API token when one is configured.
 */
@Controller("/api/compaction")
@Tag(name = "compaction", description = "Batch compaction of the lake's closed partitions")
public class CompactionController {

    private static final int MAX_LIMIT = 100;

    private final CompactionRuns runs;
    private final CompactionScheduler scheduler;
    private final CompactionEngine engine;
    private final CompactionConfiguration configuration;

    public CompactionController(CompactionRuns runs, @Nullable CompactionScheduler scheduler,
            @Nullable CompactionEngine engine, CompactionConfiguration configuration) {
        this.runs = runs;
        this.scheduler = scheduler;
        this.engine = engine;
        this.configuration = configuration;
    }

    @Post("/runs")
    @SecurityRequirement(name = "bearer")
    @Operation(operationId = "startCompaction", summary = "Start a compaction run now",
            description = "The run goes on in the background; poll GET /api/compaction/runs/{id}.")
    @ApiResponse(responseCode = "202", description = "started; Location names the run")
    @ApiResponse(responseCode = "409", description = "a run is already in progress",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "503", description = "compaction is not enabled",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public HttpResponse<?> start() {
        if (!runs.enabled()) {
            return disabled();
        }
        Optional<RunView> started = runs.start(RunView.Trigger.API);
        if (started.isEmpty()) {
            long running = runs.running().map(RunView::id).orElse(0L);
            return ConnectErrorHandlers.problem(new Problem(409, "Compaction running", "run " + running
                    + " is in progress; see /api/compaction/runs/" + running, null));
        }
        return HttpResponse.accepted(URI.create("/api/compaction/runs/" + started.get().id())).body(started.get());
    }

    @Get("/status")
    @Operation(operationId = "compactionStatus",
            summary = "Whether compaction is enabled, the run in progress, the last run, the schedule and settings")
    public StatusView status() {
        if (!runs.enabled()) {
            return new StatusView(false, null, null, null, null);
        }
        StatusView.Schedule schedule = scheduler == null ? null : new StatusView.Schedule(
                scheduler.cron().orElse(null), scheduler.zone().getId(),
                scheduler.nextRunAt().map(Object::toString).orElse(null));
        CompactionSettings s = engine.settings();
        StatusView.Settings settings = new StatusView.Settings(s.bucket(), s.prefixes(), s.topics(),
                s.closedDelay().toString(), s.lookback().toString(), s.targetFileBytes(), s.codec().configName(),
                s.snapshots().keySet().stream().sorted().toList(), configuration.getS3().getEndpoint());
        return new StatusView(true, runs.running().orElse(null), runs.lastFinished().orElse(null), schedule,
                settings);
    }

    @Get("/runs")
    @Operation(operationId = "listCompactionRuns", summary = "The last runs, newest first, with their partitions")
    public List<RunView> history(@QueryValue(defaultValue = "20") int limit) {
        return runs.history(Math.max(1, Math.min(limit, MAX_LIMIT)));
    }

    @Get("/runs/{id}")
    @Operation(operationId = "getCompactionRun", summary = "One run, in progress or finished")
    @ApiResponse(responseCode = "200", description = "the run")
    @ApiResponse(responseCode = "404", description = "no such run (or no longer remembered)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public HttpResponse<?> run(@PathVariable long id) {
        return runs.find(id).<HttpResponse<?>>map(HttpResponse::ok).orElseGet(() -> ConnectErrorHandlers.problem(
                new Problem(404, "No such run", "run " + id + " is not among the last "
                        + configuration.getHistorySize() + " runs", null)));
    }

    private static HttpResponse<Problem> disabled() {
        return ConnectErrorHandlers.problem(new Problem(503, "Compaction disabled",
                "compaction is not enabled on this service (sluice.compaction.enabled)", null));
    }
}
