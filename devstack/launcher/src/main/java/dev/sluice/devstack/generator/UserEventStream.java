package dev.sluice.devstack.generator;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import dev.sluice.schemas.events.UserEvent;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;

/**
 * User events as a web or mobile application would produce them: Avro {@link UserEvent}s in the Confluent wire
 * format (schema registered in the registry), keyed by user id. A share of them is deliberately bad (see
 * {@link BadEventKind}), and about as many again are replays of an earlier event with the same id, which the
 * pipeline must count once.
 */
final class UserEventStream implements AutoCloseable {

    private static final List<String> TYPES = List.of("page_view", "page_view", "page_view", "add_to_cart",
            "remove_from_cart", "search", "checkout");
    private static final List<String> PAGES = List.of("/", "/products", "/products/espresso", "/cart", "/checkout");
    private static final int USERS = 50;

    private final String topic;
    private final double badRatio;
    private final Random random;
    private final KafkaProducer<String, UserEvent> avro;
    private final KafkaProducer<String, byte[]> raw;
    private final AtomicLong sent = new AtomicLong();
    private UserEvent last;

    UserEventStream(String bootstrapServers, String registryUrl, String topic, double badRatio, long seed) {
        this.topic = topic;
        this.badRatio = badRatio;
        this.random = new Random(seed);
        this.avro = new KafkaProducer<>(producerProperties(bootstrapServers), new StringSerializer(),
                avroSerializer(registryUrl));
        this.raw = new KafkaProducer<>(producerProperties(bootstrapServers), new StringSerializer(),
                new ByteArraySerializer());
    }

    long sent() {
        return sent.get();
    }

    /** Produces one event: good, a replay of the previous one, or bad. */
    void step() {
        double dice = random.nextDouble();
        if (dice < badRatio) {
            sendBad(BadEventKind.values()[random.nextInt(BadEventKind.values().length)]);
        } else if (dice < badRatio * 2 && last != null) {
            avro.send(new ProducerRecord<>(topic, last.getUserId(), last));
        } else {
            last = goodEvent();
            avro.send(new ProducerRecord<>(topic, last.getUserId(), last));
        }
        sent.incrementAndGet();
    }

    private UserEvent goodEvent() {
        String type = TYPES.get(random.nextInt(TYPES.size()));
        boolean cart = type.endsWith("_cart");
        int user = 1 + random.nextInt(USERS);
        return UserEvent.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setEventType(type)
                .setUserId("user-" + user)
                .setSessionId("s-" + user + "-" + Instant.now().getEpochSecond() / 1800)
                .setProductId(cart ? (long) (1 + random.nextInt(8)) : null)
                .setQuantity(cart ? 1 + random.nextInt(3) : null)
                .setPage(type.equals("page_view") ? PAGES.get(random.nextInt(PAGES.size())) : null)
                .setOccurredAt(Instant.now().minusMillis(random.nextInt(2000)))
                .build();
    }

    private void sendBad(BadEventKind kind) {
        String key = "user-" + (1 + random.nextInt(USERS));
        switch (kind) {
            case MALFORMED_BYTES -> {
                byte[] junk = new byte[1 + random.nextInt(64)];
                random.nextBytes(junk);
                raw.send(new ProducerRecord<>(topic, key, junk));
            }
            case UNKNOWN_SCHEMA_ID -> raw.send(new ProducerRecord<>(topic, key,
                    ByteBuffer.allocate(9).put((byte) 0).putInt(987_654_321).putInt(42).array()));
            case NOT_AVRO -> raw.send(new ProducerRecord<>(topic, key,
                    "{\"event_type\":\"page_view\"}".getBytes(StandardCharsets.UTF_8)));
            case INVALID_VALUES -> {
                UserEvent event = goodEvent();
                event.setEventType(random.nextBoolean() ? "teleport" : "");
                event.setUserId(random.nextBoolean() ? "" : event.getUserId());
                event.setOccurredAt(random.nextBoolean() ? Instant.now().plus(Duration.ofDays(3650))
                        : Instant.EPOCH);
                avro.send(new ProducerRecord<>(topic, event.getUserId(), event));
            }
            case HOSTILE_STRINGS -> {
                UserEvent event = goodEvent();
                event.setUserId("../../etc/passwd\n\u0000" + key);
                event.setPage("/" + "\u202e".repeat(3) + "x".repeat(200_000));
                avro.send(new ProducerRecord<>(topic, event.getUserId(), event));
            }
            case NULL_VALUE -> raw.send(new ProducerRecord<>(topic, key, null));
        }
    }

    @Override
    public void close() {
        avro.close(Duration.ofSeconds(5));
        raw.close(Duration.ofSeconds(5));
    }

    private static AvroKafkaSerializer<UserEvent> avroSerializer(String registryUrl) {
        AvroKafkaSerializer<UserEvent> serializer = new AvroKafkaSerializer<>();
        serializer.configure(Map.of(
                "apicurio.registry.url", registryUrl,
                "apicurio.registry.auto-register", "true",
                "apicurio.registry.as-confluent", "true",
                "apicurio.registry.use-id", "contentId",
                "apicurio.registry.headers.enabled", "false"), false);
        return serializer;
    }

    private static Properties producerProperties(String bootstrapServers) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "sluice-data-generator");
        return props;
    }

    /** The kinds of bad record the generator injects. */
    enum BadEventKind {
        /** Random bytes: no magic byte, no schema id. */
        MALFORMED_BYTES,
        /** Confluent framing with a schema id the registry never issued. */
        UNKNOWN_SCHEMA_ID,
        /** JSON where Avro is expected. */
        NOT_AVRO,
        /** Well-formed Avro whose values break the rules: unknown type, empty user, absurd time. */
        INVALID_VALUES,
        /** Path traversal, control characters and a 200 KB string in fields that may become paths. */
        HOSTILE_STRINGS,
        /** A null value (tombstone) on an event topic. */
        NULL_VALUE
    }
}
