package dev.sluice.app.alerts;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * One alert as {@code GET /api/alerts} and the channels show it.
 *
 * @param rule       the rule
 * @param labels     what it is about (connector, topic, slot, ...)
 * @param state      PENDING (breached, not yet for the rule's for-duration), FIRING or RESOLVED
 * @param summary    what is wrong, as last seen
 * @param since      when the breach was first seen, ISO-8601
 * @param firedAt    when it started firing
 * @param resolvedAt when it resolved
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
@Schema(name = "Alert")
public record AlertView(String rule, Map<String, String> labels, AlertState state, String summary, String since,
        @Nullable String firedAt, @Nullable String resolvedAt) {
}
