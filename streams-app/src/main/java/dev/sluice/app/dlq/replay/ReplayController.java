package dev.sluice.app.dlq.replay;

import org.apache.kafka.common.KafkaException;

import dev.sluice.app.connect.ConnectErrorHandlers;
import dev.sluice.app.connect.Problem;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

/** Redriving dead letters into their source topics, and how a redrive went (docs/dlq.md). */
@Requires(property = "kafka.enabled", notEquals = "false")
@Controller("/api/dead-letters/replays")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "dead letters")
public class ReplayController {

    private final Redriver redriver;
    private final ReplayOutcomes outcomes;

    public ReplayController(Redriver redriver, ReplayOutcomes outcomes) {
        this.redriver = redriver;
        this.outcomes = outcomes;
    }

    @Post
    @SecurityRequirement(name = "bearer")
    @Operation(operationId = "replayDeadLetters", summary = "Redrive the dead letters of a filter or of explicit "
            + "coordinates into their source topics; with dryRun only count them. A dead letter is redriven once.")
    @ApiResponse(responseCode = "200", description = "dry run: what would be redriven",
            content = @Content(schema = @Schema(implementation = ReplayRun.class)))
    @ApiResponse(responseCode = "201", description = "redriven; follow it at /api/dead-letters/replays/{id}",
            content = @Content(schema = @Schema(implementation = ReplayRun.class)))
    @ApiResponse(responseCode = "400", description = "a field is not valid",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "503", description = "Kafka did not answer; nothing was redriven",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public HttpResponse<?> replay(@Body ReplayRequest request) {
        try {
            ReplayRun run = redriver.run(request);
            return run.dryRun() ? HttpResponse.ok(run) : HttpResponse.status(HttpStatus.CREATED).body(run);
        } catch (IllegalArgumentException e) {
            return ConnectErrorHandlers.problem(new Problem(400, "Bad request", e.getMessage(), null));
        } catch (IllegalStateException | KafkaException e) {
            return unavailable(e);
        }
    }

    @Get("/{id}")
    @Operation(operationId = "getReplay", summary = "A redrive: selected, redriven, now in silver, dead-lettered again")
    @ApiResponse(responseCode = "200", description = "its progress",
            content = @Content(schema = @Schema(implementation = ReplayProgress.class)))
    @ApiResponse(responseCode = "404", description = "no such redrive",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public HttpResponse<?> progress(@PathVariable String id) {
        try {
            return outcomes.progress(id).<HttpResponse<?>>map(HttpResponse::ok).orElseGet(() ->
                    ConnectErrorHandlers.problem(new Problem(404, "Not found", "no redrive with id " + id, null)));
        } catch (IllegalStateException | KafkaException e) {
            return unavailable(e);
        }
    }

    private static HttpResponse<Problem> unavailable(RuntimeException e) {
        return ConnectErrorHandlers.problem(new Problem(503, "Kafka unavailable", e.getMessage(), null));
    }
}
