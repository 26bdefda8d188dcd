package dev.sluice.devstack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import dev.sluice.connect.admin.ConnectRestClient;
import dev.sluice.connect.template.ConnectorTemplates;
import dev.sluice.embedded.Await;
import dev.sluice.embedded.ComponentStartException;
import dev.sluice.embedded.Ports;
import dev.sluice.embedded.PostgresServer;
import dev.sluice.embedded.RegistryServer;
import dev.sluice.embedded.S3Server;
import dev.sluice.lake.iceberg.IcebergCatalogSettings;
import dev.sluice.lake.iceberg.OptionalColumns;

/**
 * Registers the demo connectors from the shipped templates: Debezium CDC of the {@code shop} database into
 * {@code bronze.pg.*}, the JDBC source polling the {@code warehouse} database into {@code bronze.warehouse.*}, and
 * lake sinks writing the bronze, silver and gold topics into the lake: S3 Parquet sinks, or with lake format
 * {@link LakeFormat#ICEBERG} Apache Iceberg's sinks writing Iceberg tables. Registration is idempotent (PUT of the
 * config), so a restarted platform keeps its connectors and their offsets, and the tables and topics that datasets
 * added to them ({@link DatasetAdditions}). Credentials reach Connect only as
 * {@code ${file:...}} references to the platform's secrets file. The database connectors run as their own roles:
 * CDC as {@value PostgresServer#CDC_USER} (REPLICATION, SELECT; the publication exists already), the JDBC source as
 * {@value PostgresServer#READER_USER} (SELECT only) - neither owns a table nor is a superuser.
 */
public final class DemoConnectors {

    /** Name of the CDC connector of the shop database. */
    public static final String SHOP_CDC = "shop-cdc";
    /** Name of the JDBC source connector of the warehouse database. */
    public static final String WAREHOUSE_JDBC = "warehouse-jdbc";
    /** Topic applications produce user events to. */
    public static final String USER_EVENTS_TOPIC = "bronze.events.user_events";
    /** Key of the CDC role's password in the secrets file. */
    public static final String CDC_PASSWORD_KEY = "postgres.cdc.password";
    /** Key of the JDBC source role's password in the secrets file. */
    public static final String READER_PASSWORD_KEY = "postgres.reader.password";
    /** Key of the Iceberg catalog role's password in the secrets file. */
    public static final String ICEBERG_PASSWORD_KEY = "postgres.iceberg.password";
    /** Control topic of the Iceberg sinks (lake format iceberg); it must exist before they start. */
    public static final String ICEBERG_CONTROL_TOPIC = "iceberg.control";
    /** Iceberg catalog name, as engines that query the lake call it. */
    public static final String ICEBERG_CATALOG = "sluice";
    /** Partitions of the bronze topics. */
    public static final int TOPIC_PARTITIONS = 3;

    /** Lake sink connectors by layer (their {@code topics.dir}) and the topics each writes. */
    static final Map<String, List<String>> LAKE_TOPICS = Map.of(
            "bronze", List.of("bronze.pg.customers", "bronze.pg.products", "bronze.pg.orders", "bronze.pg.order_items",
                    "bronze.warehouse.exchange_rates", "bronze.warehouse.product_catalog", USER_EVENTS_TOPIC),
            "silver", List.of("silver.customers", "silver.products", "silver.exchange_rates", "silver.product_catalog",
                    "silver.orders", "silver.order_lines", "silver.user_events"),
            "gold", List.of("gold.product_revenue_hourly", "gold.region_revenue_daily", "gold.customer_totals",
                    "gold.user_sessions"));

    /**
     * The sinks' {@code behavior.on.null.values} by layer. Silver and gold tombstones are data (a deleted row of a
     * compacted silver table, a gold session merged into a longer one): delete-marker rows, not dead letters. Bronze
     * has none that are data - CDC deletes arrive as rows with Debezium's own {@code __deleted} column (which would
     * clash with the delete markers) and a null value on the event topic is a bad record - so they stay dead letters.
     */
    static final Map<String, String> LAKE_NULL_VALUES = Map.of("bronze", "fail", "silver", "delete", "gold", "delete");

    private static final Logger LOG = LoggerFactory.getLogger(DemoConnectors.class);
    private static final Duration RUNNING_TIMEOUT = Duration.ofSeconds(60);
    /** A demo wants to see its data in the lake soon; production templates default to five minutes. */
    static final Duration DEFAULT_LAKE_IDLE_FLUSH = Duration.ofMinutes(1);

    private final ConnectRestClient connect;
    private final String kafkaBootstrap;
    private final ConnectorTemplates templates = new ConnectorTemplates();
    private final RegistryServer registry;
    private final PostgresServer postgres;
    private final S3Server s3;
    private final Path secretsFile;
    private final Duration lakeIdleFlush;
    private final LakeFormat lakeFormat;

    /**
     * @param secretsFile properties file with {@value #CDC_PASSWORD_KEY}, {@value #READER_PASSWORD_KEY},
     *        {@code s3.access.key} and {@code s3.secret.key}, read by Connect's file config provider
     */
    public DemoConnectors(String connectUrl, String kafkaBootstrap, RegistryServer registry, PostgresServer postgres,
            S3Server s3, Path secretsFile) {
        this(connectUrl, kafkaBootstrap, registry, postgres, s3, secretsFile, DEFAULT_LAKE_IDLE_FLUSH);
    }

    /**
     * @param lakeIdleFlush how long a lake file stays open after its partition received its last record (the
     *        sinks' {@code rotate.idle.ms})
     */
    public DemoConnectors(String connectUrl, String kafkaBootstrap, RegistryServer registry, PostgresServer postgres,
            S3Server s3, Path secretsFile, Duration lakeIdleFlush) {
        this(connectUrl, kafkaBootstrap, registry, postgres, s3, secretsFile, lakeIdleFlush, LakeFormat.PARQUET);
    }

    /**
     * @param lakeIdleFlush with Parquet: how long a lake file stays open after its partition received its last
     *        record (the sinks' {@code rotate.idle.ms}); with Iceberg: how often the sinks commit a snapshot
     * @param lakeFormat which sinks write the lake
     */
    public DemoConnectors(String connectUrl, String kafkaBootstrap, RegistryServer registry, PostgresServer postgres,
            S3Server s3, Path secretsFile, Duration lakeIdleFlush, LakeFormat lakeFormat) {
        this.lakeIdleFlush = lakeIdleFlush;
        this.lakeFormat = lakeFormat;
        this.connect = new ConnectRestClient(connectUrl);
        this.kafkaBootstrap = kafkaBootstrap;
        this.registry = registry;
        this.postgres = postgres;
        this.s3 = s3;
        this.secretsFile = secretsFile;
    }

    /**
     * The PostgreSQL entries of the secrets file: the connectors' roles and passwords (never the owner's or the
     * superuser's, which Connect does not need).
     */
    public static Properties postgresSecrets(PostgresServer postgres) {
        Properties secrets = new Properties();
        secrets.setProperty("postgres.cdc.user", postgres.cdcLogin().user());
        secrets.setProperty(CDC_PASSWORD_KEY, postgres.cdcLogin().password());
        secrets.setProperty("postgres.reader.user", postgres.readerLogin().user());
        secrets.setProperty(READER_PASSWORD_KEY, postgres.readerLogin().password());
        secrets.setProperty(ICEBERG_PASSWORD_KEY, postgres.icebergLogin().password());
        return secrets;
    }

    /** Registers every demo connector and waits until each runs. */
    public void registerAll() {
        register(SHOP_CDC, shopCdcConfig());
        register(WAREHOUSE_JDBC, warehouseJdbcConfig());
        removeLakeSinksOfOtherFormats();
        if (lakeFormat == LakeFormat.ICEBERG) {
            try (JdbcCatalog catalog = icebergCatalog(postgres, s3).open()) {
                createIcebergNamespaces(catalog);
                relaxTablesForDeleteMarkers(catalog);
            }
        }
        LAKE_TOPICS.forEach((layer, topics) -> register(lakeConnectorName(layer, lakeFormat),
                lakeSinkConfig(layer, topics)));
    }

    /**
     * Creates the namespaces of the lake's Iceberg tables ({@code bronze}, {@code bronze.pg}, {@code silver}, ...)
     * before the sinks start. Each sink task creates a missing namespace on its first record, and two tasks doing so
     * at once on a fresh catalog collide in the JDBC catalog (a duplicate key in {@code iceberg_namespace_properties})
     * and one of them fails; seen in {@code IcebergSinkIT} under load. Creating them first leaves nothing to race on.
     */
    private static void createIcebergNamespaces(JdbcCatalog catalog) {
        for (List<String> topics : LAKE_TOPICS.values()) {
            for (String topic : topics) {
                String[] levels = topic.split("\\.");
                for (int depth = 1; depth < levels.length; depth++) {
                    Namespace namespace = Namespace.of(Arrays.copyOf(levels, depth));
                    if (!catalog.namespaceExists(namespace)) {
                        catalog.createNamespace(namespace);
                    }
                }
            }
        }
    }

    /**
     * Makes the required top-level columns of existing tables of the zones with delete markers optional before their
     * sinks start: a state directory whose tables were created before the markers would otherwise fail a sink task on
     * the first marker that reaches such a table ahead of any record with a value (docs/lake/iceberg.md, "Existing
     * tables"). Tables created with markers on are optional already, so later starts change nothing.
     */
    private static void relaxTablesForDeleteMarkers(JdbcCatalog catalog) {
        LAKE_TOPICS.forEach((layer, topics) -> {
            if (!"delete".equals(LAKE_NULL_VALUES.get(layer))) {
                return;
            }
            for (String topic : topics) {
                List<String> relaxed = OptionalColumns.relax(catalog, TableIdentifier.parse(topic));
                if (!relaxed.isEmpty()) {
                    LOG.info("iceberg table={} made optional for delete markers columns={}", topic, relaxed);
                }
            }
        });
    }

    /** The lake's Iceberg catalog on the embedded PostgreSQL and S3, as the sinks and maintenance use it. */
    public static IcebergCatalogSettings icebergCatalog(PostgresServer postgres, S3Server s3) {
        return new IcebergCatalogSettings(ICEBERG_CATALOG, postgres.jdbcUrl(PostgresServer.ICEBERG_CATALOG_DB),
                postgres.icebergLogin().user(), postgres.icebergLogin().password(),
                "s3://" + S3Server.LAKE_BUCKET + "/iceberg", s3.endpoint(), s3.region(), s3.accessKey(),
                s3.secretKey());
    }

    /** Name of the Parquet lake sink of {@code layer}, e.g. {@code lake-bronze}. */
    public static String lakeConnectorName(String layer) {
        return lakeConnectorName(layer, LakeFormat.PARQUET);
    }

    /**
     * Name of the lake sink of {@code layer} in {@code format}: {@code lake-bronze}, {@code lake-iceberg-bronze}.
     * Each format has its own name and so its own consumer group: switching the format of a state directory never
     * hands one sink's committed offsets to the other, which would leave out everything before the switch.
     */
    public static String lakeConnectorName(String layer, LakeFormat format) {
        return format == LakeFormat.PARQUET ? "lake-" + layer : "lake-" + format.optionValue() + "-" + layer;
    }

    /** The rendered configuration of the shop CDC connector. */
    public Map<String, String> shopCdcConfig() {
        return templates.get(ConnectorTemplates.POSTGRES_CDC).render(Map.of(
                "database.hostname", Ports.HOST,
                "database.port", Integer.toString(postgres.port()),
                "database.user", postgres.cdcLogin().user(),
                "database.password", secret(CDC_PASSWORD_KEY),
                "database.dbname", PostgresServer.SHOP_DB,
                "publication.name", PostgresServer.SHOP_PUBLICATION,
                "publication.autocreate.mode", "disabled",
                "topic.partitions", Integer.toString(TOPIC_PARTITIONS),
                "registry.url", registry.registryV2Url()));
    }

    /** The rendered configuration of the warehouse JDBC source: exchange rates and the product catalog. */
    public Map<String, String> warehouseJdbcConfig() {
        return templates.get(ConnectorTemplates.JDBC_SOURCE).render(Map.of(
                "connection.url", postgres.jdbcUrl(PostgresServer.WAREHOUSE_DB),
                "connection.user", postgres.readerLogin().user(),
                "connection.password", secret(READER_PASSWORD_KEY),
                "tables", "exchange_rates,product_catalog",
                "poll.interval.ms", "2000",
                "registry.url", registry.registryV2Url()));
    }

    /** The rendered configuration of the lake sink of one layer, in the lake format of this platform. */
    public Map<String, String> lakeSinkConfig(String layer, List<String> topics) {
        return lakeFormat == LakeFormat.ICEBERG ? icebergSinkConfig(layer, topics) : parquetSinkConfig(layer, topics);
    }

    /**
     * The Iceberg sink of one layer's topics: each topic is the table of the same name (the layer is its namespace),
     * partitioned by hour of event time, committed every {@code lakeIdleFlush}, tombstones handled as by the Parquet
     * sinks ({@link #LAKE_NULL_VALUES}: delete-marker rows in silver and gold).
     */
    private Map<String, String> icebergSinkConfig(String layer, List<String> topics) {
        return templates.get(ConnectorTemplates.ICEBERG_SINK).render(Map.ofEntries(
                Map.entry("topics", String.join(",", topics)),
                Map.entry("catalog.name", ICEBERG_CATALOG),
                Map.entry("catalog.jdbc.url", postgres.jdbcUrl(PostgresServer.ICEBERG_CATALOG_DB)),
                Map.entry("catalog.jdbc.user", postgres.icebergLogin().user()),
                Map.entry("catalog.jdbc.password", secret(ICEBERG_PASSWORD_KEY)),
                Map.entry("warehouse", "s3://" + S3Server.LAKE_BUCKET + "/iceberg"),
                Map.entry("s3.endpoint", s3.endpoint().toString()),
                Map.entry("s3.region", s3.region()),
                Map.entry("s3.path.style.access", "true"),
                Map.entry("aws.access.key.id", secret("s3.access.key")),
                Map.entry("aws.secret.access.key", secret("s3.secret.key")),
                Map.entry("commit.interval.ms", Long.toString(lakeIdleFlush.toMillis())),
                Map.entry("control.topic", ICEBERG_CONTROL_TOPIC),
                Map.entry("behavior.on.null.values", LAKE_NULL_VALUES.get(layer)),
                Map.entry("kafka.bootstrap.servers", kafkaBootstrap),
                Map.entry("registry.url", registry.registryV2Url())));
    }

    /** The S3 Parquet sink of one layer, with rotation suited to a demo. */
    private Map<String, String> parquetSinkConfig(String layer, List<String> topics) {
        return templates.get(ConnectorTemplates.S3_PARQUET_SINK).render(Map.ofEntries(
                Map.entry("topics", String.join(",", topics)),
                Map.entry("topics.dir", layer),
                Map.entry("s3.bucket.name", S3Server.LAKE_BUCKET),
                Map.entry("s3.endpoint", s3.endpoint().toString()),
                Map.entry("s3.region", s3.region()),
                Map.entry("s3.path.style.access", "true"),
                Map.entry("aws.access.key.id", secret("s3.access.key")),
                Map.entry("aws.secret.access.key", secret("s3.secret.key")),
                Map.entry("behavior.on.null.values", LAKE_NULL_VALUES.get(layer)),
                Map.entry("flush.size", "20000"),
                Map.entry("rotate.idle.ms", Long.toString(lakeIdleFlush.toMillis())),
                Map.entry("kafka.bootstrap.servers", kafkaBootstrap),
                Map.entry("registry.url", registry.registryV2Url())));
    }

    /**
     * Deletes the lake sinks of the other formats that an earlier start of this state directory registered: the lake
     * is written in one format at a time. Their offsets stay, so switching back resumes where they stopped.
     */
    private void removeLakeSinksOfOtherFormats() {
        Set<String> registered = new HashSet<>();
        connect.connectors().forEach(name -> registered.add(name.asText()));
        for (LakeFormat other : LakeFormat.values()) {
            if (other == lakeFormat) {
                continue;
            }
            for (String layer : LAKE_TOPICS.keySet()) {
                String name = lakeConnectorName(layer, other);
                if (registered.contains(name)) {
                    connect.delete(name);
                    LOG.info("lake sink of another format removed name={} format={}", name, other.optionValue());
                }
            }
        }
    }

    /** The configuration Connect holds for {@code name}; empty when there is no such connector yet. */
    private Map<String, String> registeredConfig(String name) {
        Map<String, String> config = new LinkedHashMap<>();
        for (JsonNode registered : connect.connectors()) {
            if (registered.asText().equals(name)) {
                connect.config(name).fields().forEachRemaining(e -> config.put(e.getKey(), e.getValue().asText()));
            }
        }
        return config;
    }

    private String secret(String key) {
        return "${file:" + secretsFile.toAbsolutePath() + ":" + key + "}";
    }

    private void register(String name, Map<String, String> config) {
        connect.putConfig(name, DatasetAdditions.keep(registeredConfig(name), config));
        try {
            Await.until(name + " running", RUNNING_TIMEOUT, () -> connect.isRunning(name));
        } catch (Await.AwaitTimeoutException e) {
            throw new ComponentStartException("connector " + name, "not RUNNING within " + RUNNING_TIMEOUT
                    + "; status: " + connect.status(name), null, e);
        }
        LOG.info("connector running name={}", name);
    }
}
