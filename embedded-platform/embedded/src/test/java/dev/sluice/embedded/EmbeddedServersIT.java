package dev.sluice.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import software.amazon.awssdk.core.sync.RequestBody;

/** Each embedded server is real: it answers its own protocol on 127.0.0.1. */
@ExtendWith(EmbeddedPlatformExtension.class)
class EmbeddedServersIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void kafkaRoundTripsRecords(KafkaBroker kafka) {
        kafka.createTopics(3, "it.roundtrip");
        Properties producerProps = kafka.clientProperties();
        producerProps.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        producerProps.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps)) {
            for (int i = 0; i < 50; i++) {
                producer.send(new ProducerRecord<>("it.roundtrip", "k" + i, "v" + i));
            }
        }
        Properties consumerProps = kafka.clientProperties();
        consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, "it-roundtrip");
        consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumerProps.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        consumerProps.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        List<ConsumerRecord<String, String>> received = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProps)) {
            consumer.subscribe(List.of("it.roundtrip"));
            Await.until("50 records consumed", Duration.ofSeconds(30), () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(received::add);
                return received.size() >= 50;
            });
        }
        assertEquals(50, received.size());
        assertTrue(received.stream().allMatch(r -> r.value().equals("v" + r.key().substring(1))));
    }

    @Test
    void kafkaWaitsForAProducersPreviousTransactionBeforeAddingPartitions(KafkaBroker kafka) throws Exception {
        try (Admin admin = Admin.create(kafka.clientProperties())) {
            ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, "1");
            Config config = admin.describeConfigs(List.of(broker)).all().get().get(broker);
            assertEquals(KafkaBroker.TXN_ADD_PARTITION_WAIT_MS, config.get(KafkaBroker.TXN_ADD_PARTITION_WAIT).value());
        }
    }

    @Test
    void postgresHasLogicalDecodingAndTheDemoDatabases(PostgresServer postgres) throws Exception {
        try (Connection shop = postgres.connect(PostgresServer.SHOP_DB); Statement statement = shop.createStatement()) {
            ResultSet wal = statement.executeQuery("SHOW wal_level");
            wal.next();
            assertEquals("logical", wal.getString(1));
            ResultSet customers = statement.executeQuery("SELECT count(*) FROM customers");
            customers.next();
            assertTrue(customers.getInt(1) > 0, "seed customers present");
        }
        try (Connection warehouse = postgres.connect(PostgresServer.WAREHOUSE_DB);
                Statement statement = warehouse.createStatement()) {
            ResultSet rates = statement.executeQuery("SELECT count(*) FROM exchange_rates");
            rates.next();
            assertTrue(rates.getInt(1) > 0, "seed exchange rates present");
        }
    }

    @Test
    void postgresEnforcesTheApplicationPassword(PostgresServer postgres) {
        assertThrows(SQLException.class, () -> java.sql.DriverManager
                .getConnection(postgres.jdbcUrl(PostgresServer.SHOP_DB), postgres.user(), "wrong-password")
                .close());
    }

    @Test
    void s3StoresListsAndReadsObjects(S3Server s3) {
        s3.client().putObject(b -> b.bucket(S3Server.LAKE_BUCKET).key("it/hello.txt"),
                RequestBody.fromString("hello lake", StandardCharsets.UTF_8));
        List<String> keys = s3.client().listObjectsV2(b -> b.bucket(S3Server.LAKE_BUCKET).prefix("it/")).contents()
                .stream().map(o -> o.key()).toList();
        assertEquals(List.of("it/hello.txt"), keys);
        String body = s3.client().getObjectAsBytes(b -> b.bucket(S3Server.LAKE_BUCKET).key("it/hello.txt"))
                .asString(StandardCharsets.UTF_8);
        assertEquals("hello lake", body);
    }

    @Test
    void registryRegistersAndServesAvroSchemasOverTheConfluentApi(RegistryServer registry) throws Exception {
        String schema = "{\\\"type\\\":\\\"record\\\",\\\"name\\\":\\\"Probe\\\",\\\"fields\\\":"
                + "[{\\\"name\\\":\\\"id\\\",\\\"type\\\":\\\"long\\\"}]}";
        HttpResponse<String> registered = HTTP.send(HttpRequest.newBuilder(
                URI.create(registry.ccompatUrl() + "/subjects/it-probe-value/versions"))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"schema\":\"" + schema + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, registered.statusCode(), registered.body());
        String id = registered.body().replaceAll("\\D+", "");
        HttpResponse<String> fetched = HTTP.send(HttpRequest.newBuilder(
                URI.create(registry.ccompatUrl() + "/schemas/ids/" + id)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, fetched.statusCode());
        assertTrue(fetched.body().contains("Probe"), fetched.body());
    }

    @Test
    void connectListsTheDebeziumPlugin(ConnectWorker connect) throws Exception {
        HttpResponse<String> plugins = connect.get("/connector-plugins");
        assertEquals(200, plugins.statusCode());
        assertTrue(plugins.body().contains("io.debezium.connector.postgresql.PostgresConnector"), plugins.body());
    }

    @Test
    void aTakenPortFailsFastNamingTheComponent() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1,
                java.net.InetAddress.getByName(Ports.HOST))) {
            ComponentStartException e = assertThrows(ComponentStartException.class,
                    () -> Ports.requireFree("s3", taken.getLocalPort()));
            assertEquals("s3", e.component());
            assertTrue(e.getMessage().contains(Integer.toString(taken.getLocalPort())));
        }
    }
}
