package dev.sluice.app.connect;

import java.util.List;
import java.util.Optional;

import io.micronaut.core.convert.exceptions.ConversionErrorException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Error;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.codec.CodecException;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.web.router.exceptions.UnsatisfiedRouteException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * REST API of the Kafka Connect connectors: list, show, create (from a template or a full configuration), update,
 * pause, resume, restart, delete, and trigger incremental snapshots of CDC connectors. Every configuration is
 * validated by Connect before it is submitted; secrets are masked in every answer. Connect's calls block, so the
 * handlers run on the blocking executor.
 */
@Controller("/api/connectors")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "connectors", description = "Kafka Connect connectors managed through Sluice")
@ApiResponse(responseCode = "502", description = "Kafka Connect answered with a server error",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@ApiResponse(responseCode = "503", description = "Kafka Connect cannot be reached; see Retry-After",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class ConnectorController {

    private final ConnectorService connectors;
    private final IncrementalSnapshots snapshots;
    private final CdcConnectorActions cdc;
    private final ConnectErrorHandlers errors;

    public ConnectorController(ConnectorService connectors, IncrementalSnapshots snapshots, CdcConnectorActions cdc,
            ConnectErrorHandlers errors) {
        this.connectors = connectors;
        this.snapshots = snapshots;
        this.cdc = cdc;
        this.errors = errors;
    }

    @Get
    @Operation(operationId = "listConnectors",
            summary = "List connectors with their state, task states and a summary of failures")
    public List<ConnectorView> list() {
        return connectors.list();
    }

    @Get("/{name}")
    @Operation(operationId = "getConnector",
            summary = "Show a connector: state, tasks, and configuration with secrets masked")
    @ApiResponse(responseCode = "200", description = "the connector")
    @ApiResponse(responseCode = "404", description = "no such connector",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public ConnectorView get(@PathVariable String name) {
        return connectors.get(name);
    }

    @Post
    @SecurityRequirement(name = "bearer")
    @Operation(operationId = "createConnector",
            summary = "Create a connector from a template with parameters, or from a full configuration",
            description = "The configuration is validated by Kafka Connect first. Give secrets as Kafka Connect "
                    + "config-provider references (file or env provider) rather than literally.")
    @ApiResponse(responseCode = "201", description = "created; secrets masked")
    @ApiResponse(responseCode = "400", description = "invalid: errors name each setting or parameter",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "409", description = "a connector of that name exists",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public HttpResponse<ConnectorView> create(@Body ConnectorRequest request) {
        return HttpResponse.created(connectors.create(request));
    }

    @Put("/{name}")
    @SecurityRequirement(name = "bearer")
    @Operation(operationId = "updateConnector",
            summary = "Replace the configuration of a connector (template with parameters, or full config)",
            description = "Validated by Kafka Connect first. Secret settings sent as ******** keep their value.")
    @ApiResponse(responseCode = "200", description = "updated; secrets masked")
    @ApiResponse(responseCode = "400", description = "invalid: errors name each setting or parameter",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "404", description = "no such connector",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public ConnectorView update(@PathVariable String name, @Body ConnectorRequest request) {
        return connectors.update(name, request);
    }

    @Post("/{name}/pause")
    @SecurityRequirement(name = "bearer")
    @Operation(operationId = "pauseConnector",
            summary = "Pause the connector and its tasks (applied asynchronously)",
            description = "A paused Debezium PostgreSQL connector keeps its replication slot, which holds back WAL "
                    + "on the database server: the answer then carries that warning.")
    @ApiResponse(responseCode = "202", description = "pause requested; for a CDC connector with warnings")
    public HttpResponse<ConnectorPaused> pause(@PathVariable String name) {
        Optional<ConnectorPaused> warned = cdc.pause(name);
        return warned.isPresent() ? HttpResponse.<ConnectorPaused>accepted().body(warned.get())
                : HttpResponse.accepted();
    }

    @Post("/{name}/resume")
    @SecurityRequirement(name = "bearer")
    @Operation(operationId = "resumeConnector",
            summary = "Resume a paused connector and its tasks (applied asynchronously)")
    @ApiResponse(responseCode = "202", description = "resume requested")
    public HttpResponse<Void> resume(@PathVariable String name) {
        connectors.resume(name);
        return HttpResponse.accepted();
    }

    @Post("/{name}/restart")
    @SecurityRequirement(name = "bearer")
    @Operation(operationId = "restartConnector",
            summary = "Restart the connector, optionally with its tasks, optionally only failed instances")
    @ApiResponse(responseCode = "202", description = "restart requested; the connector's status")
    public HttpResponse<ConnectorView> restart(@PathVariable String name,
            @Parameter(description = "restart the tasks too") @QueryValue(defaultValue = "false")
            boolean includeTasks,
            @Parameter(description = "restart only the instances that are FAILED")
            @QueryValue(defaultValue = "false") boolean onlyFailed) {
        return HttpResponse.accepted().body(connectors.restart(name, includeTasks, onlyFailed));
    }

    @Delete("/{name}")
    @SecurityRequirement(name = "bearer")
    @Operation(operationId = "deleteConnector",
            summary = "Delete the connector (its committed offsets stay)",
            description = "A Debezium PostgreSQL connector's replication slot outlives it and holds back WAL: the "
                    + "answer shows the slot and warns that it remains, unless dropSlot=true, which drops it once "
                    + "Connect stopped the task. The publication is left in place.")
    @ApiResponse(responseCode = "200", description = "a CDC connector deleted; its slot and what remains")
    @ApiResponse(responseCode = "204", description = "deleted")
    @ApiResponse(responseCode = "400", description = "dropSlot asked of a connector without a slot",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public HttpResponse<ConnectorDeleted> delete(@PathVariable String name,
            @Parameter(description = "drop the replication slot of a Debezium PostgreSQL connector too")
            @QueryValue(defaultValue = "false") boolean dropSlot) {
        Optional<ConnectorDeleted> deleted = cdc.delete(name, dropSlot);
        return deleted.isPresent() ? HttpResponse.ok(deleted.get()) : HttpResponse.noContent();
    }

    @Post("/{name}/snapshots")
    @SecurityRequirement(name = "bearer")
    @Operation(operationId = "snapshotConnector",
            summary = "Trigger an incremental snapshot of tables of a Debezium PostgreSQL connector",
            description = "Inserts an execute-snapshot signal into the connector's signalling table. The tables "
                    + "must be captured by the connector.")
    @ApiResponse(responseCode = "202", description = "signalled")
    @ApiResponse(responseCode = "400", description = "not a CDC connector, or a table it does not capture",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "502", description = "the connector's database cannot be written",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public HttpResponse<SnapshotAccepted> snapshot(@PathVariable String name, @Body SnapshotRequest request) {
        return HttpResponse.accepted().body(snapshots.trigger(name, request.tables()));
    }

    /** A body that is not JSON or does not fit: answered without echoing it, as it may hold a secret. */
    @Error(exception = CodecException.class)
    HttpResponse<Problem> unreadableBody(HttpRequest<?> request, CodecException e) {
        return badRequest("the request body is not JSON of the expected shape");
    }

    @Error(exception = ConversionErrorException.class)
    HttpResponse<Problem> unconvertible(HttpRequest<?> request, ConversionErrorException e) {
        return badRequest("argument '" + e.getArgument().getName() + "' has the wrong type");
    }

    @Error(exception = UnsatisfiedRouteException.class)
    HttpResponse<Problem> unsatisfied(HttpRequest<?> request, UnsatisfiedRouteException e) {
        return badRequest("argument '" + e.getArgument().getName() + "' is missing");
    }

    /** Anything else, including Connect's errors: a problem answer, never a stack trace. */
    @Error(exception = RuntimeException.class)
    HttpResponse<Problem> failed(HttpRequest<?> request, RuntimeException e) {
        return errors.handle(request, e);
    }

    private static HttpResponse<Problem> badRequest(String detail) {
        return ConnectErrorHandlers.problem(new Problem(HttpStatus.BAD_REQUEST.getCode(), "Unreadable request",
                detail, null));
    }
}
