package dev.sluice.app.connect;

import dev.sluice.connect.admin.ConnectRestClient;
import dev.sluice.connect.template.ConnectorTemplates;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

/** The Connect REST client and the shipped connector templates, as beans. */
@Factory
class ConnectBeans {

    @Singleton
    ConnectRestClient connectRestClient(ConnectConfiguration configuration) {
        return new ConnectRestClient(configuration.getUrl(), configuration.getRequestTimeout());
    }

    @Singleton
    ConnectorTemplates connectorTemplates() {
        return new ConnectorTemplates();
    }
}
