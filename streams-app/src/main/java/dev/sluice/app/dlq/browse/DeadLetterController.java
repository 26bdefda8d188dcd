package dev.sluice.app.dlq.browse;

import dev.sluice.app.connect.ConnectErrorHandlers;
import dev.sluice.app.connect.Problem;
import dev.sluice.app.security.ApiAccess;
import dev.sluice.app.security.ApiTokenFilter;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
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
 * Browsing the dead letters: a list by their headers, and one dead letter with its content, which only the API token
 * unlocks (a read token sees the headers). docs/dlq.md describes the workflow.
 */
@Requires(property = "kafka.enabled", notEquals = "false")
@Controller("/api/dead-letters")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "dead letters", description = "Find, inspect and redrive dead letters")
public class DeadLetterController {

    private static final int DEFAULT_LIMIT = 50;
    private static final int MAX_LIMIT = 500;

    private final DeadLetterBrowser browser;
    private final ApiAccess access;

    public DeadLetterController(DeadLetterBrowser browser, ApiAccess access) {
        this.browser = browser;
        this.access = access;
    }

    @Get("{?stage,code,rule,source,from,to,limit,cursor}")
    @Operation(operationId = "listDeadLetters", summary = "Dead letters by their headers, in topic, partition and "
            + "offset order; never a key, value or message")
    @ApiResponse(responseCode = "200", description = "a page",
            content = @Content(schema = @Schema(implementation = DeadLetterPage.class)))
    @ApiResponse(responseCode = "400", description = "a parameter is not valid",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public HttpResponse<?> list(
            @Parameter(description = "stage, e.g. validate") @Nullable @QueryValue String stage,
            @Parameter(description = "error code, e.g. VALIDATION_FAILED") @Nullable @QueryValue String code,
            @Parameter(description = "broken validation rule, e.g. customers.country.pattern")
            @Nullable @QueryValue String rule,
            @Parameter(description = "source record: <topic>, <topic>/<partition> or <topic>/<partition>/<offset>")
            @Nullable @QueryValue String source,
            @Parameter(description = "dead-lettered at or after, ISO-8601") @Nullable @QueryValue String from,
            @Parameter(description = "dead-lettered before, ISO-8601") @Nullable @QueryValue String to,
            @Parameter(description = "page size (default 50, at most 500)") @Nullable @QueryValue Integer limit,
            @Parameter(description = "nextCursor of the previous page") @Nullable @QueryValue String cursor) {
        try {
            DeadLetterFilter filter = DeadLetterFilter.of(stage, code, rule, source, from, to);
            DeadLetterCoordinates after = cursor == null || cursor.isBlank() ? null
                    : DeadLetterCoordinates.parse(cursor);
            int size = limit == null ? DEFAULT_LIMIT : Math.max(1, Math.min(limit, MAX_LIMIT));
            return HttpResponse.ok(browser.page(filter, after, size));
        } catch (IllegalArgumentException e) {
            return badRequest(e);
        } catch (IllegalStateException e) {
            return unavailable(e);
        }
    }

    @Get("/{topic}/{partition}/{offset}")
    @Operation(operationId = "getDeadLetter", summary = "One dead letter; its message, headers, key and value "
            + "(decoded, personal fields as in silver) only with the API token")
    @ApiResponse(responseCode = "200", description = "the dead letter",
            content = @Content(schema = @Schema(implementation = DeadLetterDetail.class)))
    @ApiResponse(responseCode = "404", description = "no such dead letter",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public HttpResponse<?> one(HttpRequest<?> request, @PathVariable String topic, @PathVariable int partition,
            @PathVariable long offset) {
        boolean withContent = access.decide(ApiAccess.Need.WRITE, ApiTokenFilter.bearer(request))
                == ApiAccess.Verdict.GRANTED;
        try {
            DeadLetterCoordinates at = DeadLetterCoordinates.parse(topic + "/" + partition + "/" + offset);
            return browser.detail(at, withContent).<HttpResponse<?>>map(HttpResponse::ok)
                    .orElseGet(() -> ConnectErrorHandlers.problem(new Problem(404, "Not found", "no dead letter at "
                            + at + (browser.isDeadLetterTopic(topic) ? "" : ": not a dead-letter topic"), null)));
        } catch (IllegalArgumentException e) {
            return badRequest(e);
        } catch (IllegalStateException e) {
            return unavailable(e);
        }
    }

    static HttpResponse<Problem> badRequest(IllegalArgumentException e) {
        return ConnectErrorHandlers.problem(new Problem(400, "Bad request", e.getMessage(), null));
    }

    static HttpResponse<Problem> unavailable(IllegalStateException e) {
        return ConnectErrorHandlers.problem(new Problem(503, "Kafka unavailable", e.getMessage(), null));
    }
}
