package dev.sluice.app.connect;

import java.util.List;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * A connector template with its documented parameters.
 *
 * @param name the template's name, used in {@code POST /api/connectors}
 * @param description what the connector does
 * @param connectorClass the connector plugin class it configures
 * @param parameters the parameters, in declaration order
 */
@Serdeable
@Schema(name = "ConnectorTemplate")
public record TemplateView(String name, String description, String connectorClass, List<Parameter> parameters) {

    /**
     * One parameter.
     *
     * @param name parameter name
     * @param doc what it means
     * @param defaultValue the value used when none is given; absent for required parameters, empty for optional
     *        ones whose setting is then left out
     * @param required whether it must be given
     * @param secret whether it is a credential: masked in every answer; give a config-provider reference
     */
    @Serdeable
    @Schema(name = "ConnectorTemplateParameter")
    public record Parameter(String name, String doc, @Nullable String defaultValue, boolean required,
            boolean secret) {
    }
}
