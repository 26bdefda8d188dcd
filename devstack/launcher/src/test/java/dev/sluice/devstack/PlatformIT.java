package dev.sluice.devstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;

import dev.sluice.connect.admin.ConnectRestClient;
import dev.sluice.embedded.Await;
import dev.sluice.embedded.ConnectWorker;
import dev.sluice.embedded.EmbeddedPlatform;
import dev.sluice.embedded.EmbeddedPlatformExtension;
import dev.sluice.embedded.KafkaBroker;
import dev.sluice.embedded.PostgresServer;
import dev.sluice.embedded.RegistryServer;
import dev.sluice.embedded.S3Server;
import dev.sluice.embedded.Secrets;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The platform's parts work together: CDC of a PostgreSQL row through Connect and Debezium into a bronze topic as
 * registry-framed Avro; the S3 server through the AWS SDK; Connect's plugin list.
 */
@ExtendWith(EmbeddedPlatformExtension.class)
class PlatformIT {

    private static Path secrets;

    @BeforeAll
    static void registerDemoConnectors(EmbeddedPlatform platform, KafkaBroker kafka, ConnectWorker connect,
            RegistryServer registry, PostgresServer postgres, S3Server s3) throws IOException {
        Properties props = DemoConnectors.postgresSecrets(postgres);
        props.setProperty("s3.access.key", s3.accessKey());
        props.setProperty("s3.secret.key", s3.secretKey());
        secrets = platform.stateDir().resolve("secrets/connect.properties");
        Secrets.writePrivate(secrets, props, "test secrets");
        new DemoConnectors(connect.restUrl(), kafka.bootstrapServers(), registry, postgres, s3, secrets).registerAll();
    }

    @Test
    void aRowInsertedInPostgresArrivesInItsBronzeTopicAsRegisteredAvro(KafkaBroker kafka, PostgresServer postgres,
            RegistryServer registry) throws Exception {
        String email = "cdc-probe-" + System.nanoTime() + "@example.com";
        try (Connection shop = postgres.connect(PostgresServer.SHOP_DB);
                PreparedStatement insert = shop.prepareStatement(
                        "INSERT INTO customers (email, full_name, region, country) VALUES (?, 'Probe', 'EMEA', 'DE')")) {
            insert.setString(1, email);
            insert.executeUpdate();
        }
        GenericRecord row = BronzeRecords.awaitValue(kafka.bootstrapServers(), registry.ccompatUrl(),
                "bronze.pg.customers", Duration.ofSeconds(60), r -> email.equals(String.valueOf(r.get("email"))));
        assertEquals("Probe", row.get("full_name").toString());
        assertEquals("c", row.get("__op").toString());
        assertEquals("false", row.get("__deleted").toString());
        assertEquals("customers", row.get("__table").toString());
    }

    @Test
    void anOrderAndItsItemsArriveOnTheOrdersPartitionWhereTheEnricherKeepsIt(KafkaBroker kafka,
            PostgresServer postgres, RegistryServer registry) throws Exception {
        Set<Long> ids = new TreeSet<>();
        try (Connection shop = postgres.connect(PostgresServer.SHOP_DB);
                PreparedStatement order = shop.prepareStatement("INSERT INTO orders (customer_id, status, currency, "
                        + "total_amount) VALUES (1, 'NEW', 'EUR', 20.00) RETURNING id");
                PreparedStatement item = shop.prepareStatement("INSERT INTO order_items (order_id, line_no, "
                        + "product_id, quantity, unit_price) VALUES (?, ?, 1, 1, 10.00)")) {
            for (int i = 0; i < 12; i++) {
                long id;
                try (ResultSet created = order.executeQuery()) {
                    created.next();
                    id = created.getLong(1);
                }
                ids.add(id);
                for (int line = 1; line <= 2; line++) {
                    item.setLong(1, id);
                    item.setInt(2, line);
                    item.executeUpdate();
                }
            }
        }
        String orders = "bronze.pg.orders";
        String items = "bronze.pg.order_items";
        List<BronzeRecords.Placed> orderRecords = BronzeRecords.awaitAll(kafka.bootstrapServers(),
                registry.ccompatUrl(), orders, Duration.ofSeconds(60), r -> ids.contains((Long) r.get("id")), 12);
        List<BronzeRecords.Placed> itemRecords = BronzeRecords.awaitAll(kafka.bootstrapServers(),
                registry.ccompatUrl(), items, Duration.ofSeconds(60), r -> ids.contains((Long) r.get("order_id")),
                24);
        int partitions = BronzeRecords.partitions(kafka.bootstrapServers(), orders);
        assertEquals(partitions, BronzeRecords.partitions(kafka.bootstrapServers(), items));
        // Where Kafka's default partitioner puts the order id's text: the enricher's partition for that order.
        StringSerializer text = new StringSerializer();
        Set<Integer> homes = new TreeSet<>();
        for (BronzeRecords.Placed record : orderRecords) {
            int home = BuiltInPartitioner.partitionForKey(text.serialize(orders, record.value().get("id").toString()),
                    partitions);
            assertEquals(home, record.partition(), "order " + record.value().get("id"));
            homes.add(home);
        }
        for (BronzeRecords.Placed record : itemRecords) {
            assertEquals(BuiltInPartitioner.partitionForKey(text.serialize(items,
                    record.value().get("order_id").toString()), partitions), record.partition(),
                    "item of order " + record.value().get("order_id"));
        }
        assertTrue(homes.size() > 1, "the orders span partitions: " + homes);
    }

    @Test
    void warehouseRowsArrivePolledByTheJdbcSource(KafkaBroker kafka, RegistryServer registry) {
        GenericRecord rate = BronzeRecords.awaitValue(kafka.bootstrapServers(), registry.ccompatUrl(),
                "bronze.warehouse.exchange_rates", Duration.ofSeconds(60),
                r -> "USD".equals(String.valueOf(r.get("currency"))));
        assertTrue(rate.get("rate_to_eur") != null, rate.toString());
    }

    @Test
    void everyDemoConnectorRuns(ConnectWorker connect) {
        ConnectRestClient rest = new ConnectRestClient(connect.restUrl());
        for (String name : List.of(DemoConnectors.SHOP_CDC, DemoConnectors.WAREHOUSE_JDBC,
                DemoConnectors.lakeConnectorName("bronze"), DemoConnectors.lakeConnectorName("silver"),
                DemoConnectors.lakeConnectorName("gold"))) {
            assertTrue(rest.isRunning(name), name + ": " + rest.status(name));
        }
    }

    @Test
    void snapshotRowsAreCapturedToo(KafkaBroker kafka, RegistryServer registry) {
        GenericRecord seeded = BronzeRecords.awaitValue(kafka.bootstrapServers(), registry.ccompatUrl(),
                "bronze.pg.products", Duration.ofSeconds(60), r -> "SKU-0001".equals(String.valueOf(r.get("sku"))));
        assertEquals("r", seeded.get("__op").toString(), "seed rows come from the initial snapshot");
    }

    @Test
    void theConnectorConfigHoldsNoPassword(ConnectWorker connect, PostgresServer postgres) throws Exception {
        JsonNode config = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(connect.get("/connectors/" + DemoConnectors.SHOP_CDC + "/config").body());
        String password = config.path("database.password").asText();
        assertTrue(password.startsWith("${file:"), "a config-provider reference, not the password: " + password);
        assertTrue(!config.toString().contains(postgres.cdcLogin().password()),
                "the password itself never reaches Connect's config");
    }

    @Test
    void theDatabaseConnectorsRunAsTheirOwnRolesNotAsOwnerOrSuperuser(ConnectWorker connect,
            PostgresServer postgres) {
        Await.until("the CDC slot streams and the JDBC source polls", Duration.ofSeconds(60), () -> {
            try (Connection shop = postgres.connect(PostgresServer.SHOP_DB);
                    Statement statement = shop.createStatement();
                    ResultSet streaming = statement.executeQuery("SELECT a.usename FROM pg_replication_slots s "
                            + "JOIN pg_stat_activity a ON a.pid = s.active_pid WHERE s.slot_name = 'sluice_shop'")) {
                if (!streaming.next() || !PostgresServer.CDC_USER.equals(streaming.getString(1))) {
                    return false;
                }
            }
            try (Connection shop = postgres.connect(PostgresServer.SHOP_DB);
                    Statement statement = shop.createStatement();
                    ResultSet polling = statement.executeQuery("SELECT DISTINCT usename FROM pg_stat_activity "
                            + "WHERE datname = 'warehouse'")) {
                return polling.next() && PostgresServer.READER_USER.equals(polling.getString(1)) && !polling.next();
            }
        });
        ConnectRestClient rest = new ConnectRestClient(connect.restUrl());
        assertEquals(PostgresServer.CDC_USER, rest.config(DemoConnectors.SHOP_CDC).path("database.user").asText());
        assertEquals(PostgresServer.READER_USER, rest.config(DemoConnectors.WAREHOUSE_JDBC)
                .path("connection.user").asText());
    }

    @Test
    void anObjectWrittenWithTheAwsSdkCanBeListedAndReadBack(S3Server s3) {
        String key = "bronze/it/" + System.nanoTime() + ".txt";
        s3.client().putObject(b -> b.bucket(S3Server.LAKE_BUCKET).key(key),
                RequestBody.fromString("sluice", StandardCharsets.UTF_8));
        List<String> listed = s3.client().listObjectsV2(b -> b.bucket(S3Server.LAKE_BUCKET).prefix("bronze/it/"))
                .contents().stream().map(o -> o.key()).toList();
        assertTrue(listed.contains(key), listed.toString());
        assertEquals("sluice", s3.client().getObjectAsBytes(b -> b.bucket(S3Server.LAKE_BUCKET).key(key))
                .asString(StandardCharsets.UTF_8));
    }

    @Test
    void connectListsTheDebeziumPlugin(ConnectWorker connect) {
        JsonNode plugins = new ConnectRestClient(connect.restUrl()).plugins();
        boolean debezium = false;
        for (JsonNode plugin : plugins) {
            debezium |= plugin.path("class").asText().equals("io.debezium.connector.postgresql.PostgresConnector");
        }
        assertTrue(debezium, plugins.toString());
        assertTrue(Files.exists(secrets));
    }
}
