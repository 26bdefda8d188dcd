package dev.sluice.app.connect;

import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.security.SecurityScheme;

/**
 * Title and security scheme of the OpenAPI description that micronaut-openapi generates from the controllers at
 * compile time; it is served at {@code /swagger/sluice.yml}.
 */
@OpenAPIDefinition(info = @Info(title = "Sluice", version = "0.1",
        description = "REST API of the Sluice streaming-ETL service. When sluice.api.token is set, POST, PUT and "
                + "DELETE requests under /api need the header Authorization: Bearer <token>."))
@SecurityScheme(name = "bearer", type = SecuritySchemeType.HTTP, scheme = "bearer")
public interface ApiDescription {
}
