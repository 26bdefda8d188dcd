package dev.sluice.app.alerts;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;

/** {@code GET /api/alerts}: this instance's pending and firing alerts, and its recent transitions. */
@Controller("/api/alerts")
@Requires(property = "sluice.alerts.enabled", notEquals = "false")
public class AlertsController {

    /**
     * The alerts of this instance.
     *
     * @param active pending and firing alerts
     * @param recent the last transitions to FIRING or RESOLVED, newest first
     */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @Schema(name = "Alerts")
    public record Alerts(List<AlertView> active, List<AlertView> recent) {
    }

    private final AlertBook book;

    public AlertsController(AlertBook book) {
        this.book = book;
    }

    @Get
    @Operation(summary = "This instance's active alerts and recent transitions")
    public Alerts alerts() {
        return new Alerts(book.active(), book.recent());
    }
}
