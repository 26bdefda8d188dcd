package dev.sluice.app.connect;

import java.util.Map;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * A connector to create or a new configuration for one: either a template with parameters, or a full Kafka
 * Connect configuration. Values may be strings, numbers or booleans; Connect receives them as strings. Secrets are
 * best given as config-provider references ({@code ${file:/path:key}}, {@code ${env:VAR}}), resolved by the
 * Connect worker.
 *
 * @param name connector name (letters, digits, '.', '_', '-'); on update it may be left out
 * @param template name of a template from {@code GET /api/connector-templates}
 * @param parameters the template's parameters; those left out take their defaults
 * @param config a full connector configuration, including {@code connector.class}
 */
@Serdeable
@Schema(description = "Either template (+ parameters) or config.")
public record ConnectorRequest(@Nullable String name, @Nullable String template,
        @Nullable Map<String, Object> parameters, @Nullable Map<String, Object> config) {
}
