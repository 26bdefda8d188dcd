package dev.sluice.app.status;

import java.util.List;

import org.apache.kafka.streams.TopologyDescription;

import dev.sluice.app.connect.ConnectErrorHandlers;
import dev.sluice.app.connect.Problem;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * The pipeline's status: the streams instances with their state and tasks, the topology as a graph, consumer lag
 * per input topic, dead letters by reason and the latest ones (metadata only), connectors and compaction. Read-only;
 * nothing here shows a record's key or value.
 */
@Requires(property = "kafka.enabled", notEquals = "false")
@Controller("/api/status")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "status", description = "Pipeline status: instances, topology, lag, dead letters")
public class StatusController {

    private static final int MAX_RECENT = 200;

    private final PipelineStatusService status;
    private final TopologyDescription topology;
    private final DeadLetterMonitor deadLetters;

    public StatusController(PipelineStatusService status, TopologyDescription topology,
            @Nullable DeadLetterMonitor deadLetters) {
        this.status = status;
        this.topology = topology;
        this.deadLetters = deadLetters;
    }

    @Get
    @Operation(operationId = "pipelineStatus",
            summary = "Instances, consumer lag, dead letters by reason, connectors and compaction at a glance")
    public PipelineStatus overview() {
        return status.status();
    }

    @Get("/instance")
    @Operation(operationId = "instanceStatus", summary = "This instance: Kafka Streams state, threads and tasks")
    public InstanceView self() {
        return status.self();
    }

    @Get("/instances")
    @Operation(operationId = "instancesStatus", summary = "Every instance of the application, each as it reports")
    public List<InstanceView> instances() {
        return status.instances();
    }

    @Get("/topology")
    @Operation(operationId = "topologyGraph",
            summary = "The topology as a graph: sources, processors, sinks, stores and the topics between them")
    public TopologyGraph topology() {
        return TopologyGraph.of(topology);
    }

    @Get("/lag")
    @Operation(operationId = "consumerLag",
            summary = "Consumer lag of the application per input topic (reused for sluice.status.cache-ttl, 1 s)")
    public ConsumerLag.LagView lag() {
        return status.lag();
    }

    @Get("/dead-letters")
    @Operation(operationId = "deadLetterCounts",
            summary = "Records in the dead-letter topics by stage, error code and validation rule")
    @ApiResponse(responseCode = "200", description = "the counts",
            content = @Content(schema = @Schema(implementation = DeadLetterCounts.class)))
    @ApiResponse(responseCode = "503", description = "the dead-letter monitor is disabled",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public HttpResponse<?> deadLetterCounts() {
        return deadLetters == null ? disabled() : HttpResponse.ok(deadLetters.counts());
    }

    @Get("/dead-letters/recent{?limit}")
    @Operation(operationId = "recentDeadLetters",
            summary = "The latest dead letters, newest first: headers only (stage, code, rule, source position), "
                    + "never the key or value")
    @ApiResponse(responseCode = "200", description = "the dead letters",
            content = @Content(schema = @Schema(implementation = RecentDeadLetter.class)))
    @ApiResponse(responseCode = "503", description = "the dead-letter monitor is disabled",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public HttpResponse<?> recentDeadLetters(
            @Parameter(description = "how many (default 50, at most 200)") @Nullable @QueryValue Integer limit) {
        if (deadLetters == null) {
            return disabled();
        }
        int count = limit == null ? 50 : Math.max(1, Math.min(limit, MAX_RECENT));
        return HttpResponse.ok(deadLetters.recent(count));
    }

    private static HttpResponse<Problem> disabled() {
        return ConnectErrorHandlers.problem(new Problem(503, "Dead-letter monitor disabled",
                "sluice.status.dead-letters.enabled is false on this instance", null));
    }
}
