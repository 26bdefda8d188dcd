package dev.sluice.app.connect;

import java.util.List;

import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/** The connector templates Sluice ships, with their documented parameters. */
@Controller("/api/connector-templates")
@Tag(name = "connectors")
public class ConnectorTemplateController {

    private final ConnectorService connectors;

    public ConnectorTemplateController(ConnectorService connectors) {
        this.connectors = connectors;
    }

    @Get
    @Operation(operationId = "listConnectorTemplates",
            summary = "List the connector templates with their parameters (docs, defaults, secret flags)")
    public List<TemplateView> list() {
        return connectors.templates();
    }
}
