package dev.sluice.devstack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sluice.connect.admin.ConnectRestClient;
import dev.sluice.connect.template.ConnectorTemplates;
import dev.sluice.embedded.Await;
import dev.sluice.embedded.ComponentStartException;
import dev.sluice.embedded.Ports;
import dev.sluice.embedded.PostgresServer;
import dev.sluice.embedded.RegistryServer;

/**
 * Registers the demo connectors from the shipped templates: Debezium CDC of the {@code shop} database into
 * {@code bronze.pg.*}. Registration is idempotent (PUT of the config), so a restarted platform keeps its
 * connectors and their offsets. Passwords reach Connect only as {@code ${file:...}} references.
 */
public final class DemoConnectors {

    /** Name of the CDC connector of the shop database. */
    public static final String SHOP_CDC = "shop-cdc";
    /** Topic applications produce user events to. */
    public static final String USER_EVENTS_TOPIC = "bronze.events.user_events";
    /** Partitions of the bronze topics. */
    public static final int TOPIC_PARTITIONS = 3;

    private static final Logger LOG = LoggerFactory.getLogger(DemoConnectors.class);
    private static final Duration RUNNING_TIMEOUT = Duration.ofSeconds(60);

    private final ConnectRestClient connect;
    private final RegistryServer registry;
    private final PostgresServer postgres;
    private final Path secretsFile;

    /**
     * @param secretsFile properties file with {@code postgres.password}, read by Connect's file config provider
     */
    public DemoConnectors(String connectUrl, RegistryServer registry, PostgresServer postgres, Path secretsFile) {
        this.connect = new ConnectRestClient(connectUrl);
        this.registry = registry;
        this.postgres = postgres;
        this.secretsFile = secretsFile;
    }

    /** Registers every demo connector and waits until each runs. */
    public void registerAll() {
        register(SHOP_CDC, shopCdcConfig());
    }

    /** The rendered configuration of the shop CDC connector. */
    public Map<String, String> shopCdcConfig() {
        return new ConnectorTemplates().get(ConnectorTemplates.POSTGRES_CDC).render(Map.of(
                "database.hostname", Ports.HOST,
                "database.port", Integer.toString(postgres.port()),
                "database.user", postgres.user(),
                "database.password", "${file:" + secretsFile.toAbsolutePath() + ":postgres.password}",
                "database.dbname", PostgresServer.SHOP_DB,
                "topic.partitions", Integer.toString(TOPIC_PARTITIONS),
                "registry.url", registry.registryV2Url()));
    }

    private void register(String name, Map<String, String> config) {
        connect.putConfig(name, config);
        try {
            Await.until(name + " running", RUNNING_TIMEOUT, () -> connect.isRunning(name));
        } catch (Await.AwaitTimeoutException e) {
            throw new ComponentStartException("connector " + name, "not RUNNING within " + RUNNING_TIMEOUT
                    + "; status: " + connect.status(name), null, e);
        }
        LOG.info("connector running name={}", name);
    }
}
