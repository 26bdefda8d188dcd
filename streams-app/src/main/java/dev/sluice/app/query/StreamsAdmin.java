package dev.sluice.app.query;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

/**
 * The API's Kafka admin client (partition counts, offsets, lag, topics of its own), with the streams' connection and
 * security settings; created on first use, so that an instance whose API never needs it opens no connection, and
 * closed with the application.
 */
@Requires(property = "kafka.enabled", notEquals = "false")
@Singleton
public class StreamsAdmin {

    private final StreamsInstance instance;
    private Admin admin;

    public StreamsAdmin(StreamsInstance instance) {
        this.instance = instance;
    }

    /** The admin client, created on first use. */
    public synchronized Admin admin() {
        if (admin == null) {
            Map<String, Object> props = new HashMap<>(instance.clientSettings(AdminClientConfig.configNames()));
            props.put(AdminClientConfig.CLIENT_ID_CONFIG, instance.applicationId() + "-sluice-api");
            admin = Admin.create(props);
        }
        return admin;
    }

    @PreDestroy
    synchronized void close() {
        if (admin != null) {
            admin.close();
            admin = null;
        }
    }
}
