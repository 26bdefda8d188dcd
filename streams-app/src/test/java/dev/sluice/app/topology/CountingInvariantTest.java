package dev.sluice.app.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.SessionStore;
import org.apache.kafka.streams.state.WindowStore;
import org.junit.jupiter.api.Test;

import dev.sluice.app.aggregate.Aggregations;
import dev.sluice.app.dlq.DeadLetterHeaders;
import dev.sluice.app.failure.Stage;
import dev.sluice.app.silver.Lineage;
import dev.sluice.app.stores.StoreNames;
import dev.sluice.app.testing.BronzeSchemas;
import dev.sluice.app.testing.Out;
import dev.sluice.app.testing.PipelineDriver;
import dev.sluice.app.testing.Rows;
import dev.sluice.schemas.gold.CustomerTotals;
import dev.sluice.schemas.gold.ProductRevenueHourly;
import dev.sluice.schemas.gold.RegionRevenueDaily;
import dev.sluice.schemas.gold.UserSession;
import dev.sluice.schemas.silver.CleanUserEvent;
import dev.sluice.schemas.silver.Customer;
import dev.sluice.schemas.silver.EnrichedOrder;
import dev.sluice.schemas.silver.EnrichedOrderLine;
import dev.sluice.schemas.silver.ExchangeRate;
import dev.sluice.schemas.silver.Product;
import dev.sluice.schemas.silver.ProductCatalogEntry;

/**
 * Property: for any mix of good, invalid, undecodable, replayed, hostile and deleted input on every bronze topic,
 * every input record ends in exactly one silver record or one dead-letter record (matched by its topic, partition
 * and offset: nothing lost, nothing doubled); and every silver record a gold aggregate takes in is counted in it
 * exactly once, or is in dlq.late or dlq.dedupe. Random mixes from a seeded generator (system properties
 * {@code sluice.property.seed} and {@code sluice.property.iterations}); a failure names the seed and iteration.
 */
class CountingInvariantTest {

    private static final long SEED = Long.getLong("sluice.property.seed", 20_261_122L);
    private static final int ITERATIONS = Integer.getInteger("sluice.property.iterations", 20);

    @Test
    void everyBronzeRecordEndsInExactlyOneSilverOrDeadLetterRecord() {
        Random seeds = new Random(SEED);
        for (int iteration = 0; iteration < ITERATIONS; iteration++) {
            long seed = seeds.nextLong();
            try (PipelineDriver pipeline = PipelineDriver.start()) {
                new Run(pipeline, new Random(seed), "seed " + SEED + " iteration " + iteration + " (" + seed + ")")
                        .execute();
            }
        }
    }

    /** One random mix through one fresh topology. */
    private static final class Run {
        private final PipelineDriver pipeline;
        private final Random random;
        private final String label;
        private final Map<String, Integer> sent = new TreeMap<>();
        private final Map<String, Integer> offsets = new HashMap<>();
        private final List<KeyValue<String, byte[][]>> history = new ArrayList<>();
        private final Map<Stage, List<Out<byte[], byte[]>>> deadLetters = new HashMap<>();
        private long nextOrder = 1;
        private long eligibleLines;
        private long eligibleOrders;
        private long silverEvents;

        Run(PipelineDriver pipeline, Random random, String label) {
            this.pipeline = pipeline;
            this.random = random;
            this.label = label;
        }

        void execute() {
            int records = 30 + random.nextInt(60);
            for (int i = 0; i < records; i++) {
                one();
            }
            pipeline.advanceWallClock(Duration.ofSeconds(31));
            checkBronzeToSilver();
            checkSilverToGold();
        }

        private void one() {
            int dice = random.nextInt(100);
            if (dice < 8) {
                poison();
            } else if (dice < 14 && !history.isEmpty()) {
                KeyValue<String, byte[][]> old = history.get(random.nextInt(history.size()));
                send(old.key, old.value[0], old.value[1]);
            } else if (dice < 18) {
                tombstone();
            } else {
                row(random.nextInt(100) < 20);
            }
        }

        private void row(boolean invalid) {
            Instant at = PipelineDriver.NOW.minusSeconds(random.nextInt(3 * 3600));
            switch (random.nextInt(7)) {
                case 0 -> {
                    Map<String, Object> row = Rows.customer(1 + random.nextInt(6));
                    row.put("region", List.of("EMEA", "AMER", "APAC").get(random.nextInt(3)));
                    cdc(pipeline.topics().getCustomers(), BronzeSchemas.CUSTOMER_KEY, BronzeSchemas.CUSTOMER,
                            maybeDeleted(invalid ? corrupt(row, "email", "not an email") : row), row.get("id"));
                }
                case 1 -> {
                    Map<String, Object> row = Rows.product(1 + random.nextInt(6), "9.99", "EUR");
                    cdc(pipeline.topics().getProducts(), BronzeSchemas.PRODUCT_KEY, BronzeSchemas.PRODUCT,
                            maybeDeleted(invalid ? corrupt(row, "price", new BigDecimal("-1")) : row), row.get("id"));
                }
                case 2 -> {
                    long id = random.nextInt(4) == 0 && nextOrder > 1 ? 1 + random.nextInt((int) nextOrder - 1)
                            : nextOrder++;
                    Map<String, Object> row = Rows.order(id, 1 + random.nextInt(8),
                            List.of("EUR", "USD", "GBP").get(random.nextInt(3)), "25.00", at);
                    cdc(pipeline.topics().getOrders(), BronzeSchemas.ORDER_KEY, BronzeSchemas.ORDER,
                            maybeDeleted(invalid ? corrupt(row, "currency", "XXX") : row), row.get("id"));
                }
                case 3 -> {
                    long order = 1 + random.nextInt((int) nextOrder + 2);
                    Map<String, Object> row = Rows.item(order, 1 + random.nextInt(3), 1 + random.nextInt(7),
                            1 + random.nextInt(3), "12.50");
                    cdc(pipeline.topics().getOrderItems(), BronzeSchemas.ORDER_ITEM_KEY, BronzeSchemas.ORDER_ITEM,
                            maybeDeleted(invalid ? corrupt(row, "quantity", -1) : row), row.get("order_id"),
                            row.get("line_no"));
                }
                case 4 -> {
                    Map<String, Object> row = Rows.rate(1 + random.nextInt(3), random.nextBoolean() ? "USD" : "GBP",
                            "1.1", at);
                    cdc(pipeline.topics().getExchangeRates(), BronzeSchemas.RATE_KEY, BronzeSchemas.RATE,
                            invalid ? corrupt(row, "rate_to_eur", BigDecimal.ZERO) : row, row.get("id"));
                }
                case 5 -> {
                    Map<String, Object> row = Rows.catalog(1 + random.nextInt(5));
                    cdc(pipeline.topics().getProductCatalog(), BronzeSchemas.CATALOG_KEY, BronzeSchemas.CATALOG,
                            invalid ? corrupt(row, "supplier", "line\nbreak") : row, row.get("id"));
                }
                default -> {
                    String user = "user-" + (1 + random.nextInt(4));
                    Map<String, Object> row = Rows.userEvent(user, List.of("page_view", "search", "add_to_cart",
                            "checkout").get(random.nextInt(4)), at);
                    if (invalid) {
                        row = random.nextBoolean() ? corrupt(row, "event_type", "teleport")
                                : corrupt(row, "page", "/" + "\u202e".repeat(3) + "x".repeat(20_000));
                    }
                    send(pipeline.topics().getUserEvents(), user.getBytes(StandardCharsets.UTF_8),
                            pipeline.bronze().value(pipeline.topics().getUserEvents(), BronzeSchemas.USER_EVENT, row));
                }
            }
        }

        private Map<String, Object> maybeDeleted(Map<String, Object> row) {
            return random.nextInt(10) == 0 ? Rows.deleted(row) : random.nextInt(5) == 0 ? Rows.updated(row) : row;
        }

        private static Map<String, Object> corrupt(Map<String, Object> row, String field, Object value) {
            row.put(field, value);
            return row;
        }

        private void poison() {
            List<String> topics = pipeline.topics().bronze();
            String topic = topics.get(random.nextInt(topics.size()));
            byte[] value = switch (random.nextInt(3)) {
                case 0 -> {
                    byte[] junk = new byte[1 + random.nextInt(40)];
                    random.nextBytes(junk);
                    yield junk;
                }
                case 1 -> ByteBuffer.allocate(9).put((byte) 0).putInt(900_000_000 + random.nextInt(1000)).putInt(1)
                        .array();
                default -> "{\"not\":\"avro\"}".getBytes(StandardCharsets.UTF_8);
            };
            send(topic, "k".getBytes(StandardCharsets.UTF_8), value);
        }

        private void tombstone() {
            int dice = random.nextInt(3);
            if (dice == 0) {
                send(pipeline.topics().getCustomers(), pipeline.bronze().key(pipeline.topics().getCustomers(),
                        BronzeSchemas.CUSTOMER_KEY, 1L + random.nextInt(6)), null);
            } else if (dice == 1) {
                send(pipeline.topics().getOrders(), pipeline.bronze().key(pipeline.topics().getOrders(),
                        BronzeSchemas.ORDER_KEY, 1L + random.nextInt((int) nextOrder)), null);
            } else {
                send(pipeline.topics().getUserEvents(), "user-1".getBytes(StandardCharsets.UTF_8), null);
            }
        }

        private void cdc(String topic, Schema keySchema, Schema valueSchema,
                Map<String, Object> row, Object... key) {
            send(topic, pipeline.bronze().key(topic, keySchema, key), pipeline.bronze().value(topic, valueSchema, row));
        }

        private void send(String topic, byte[] key, byte[] value) {
            int offset = offsets.merge(topic, 1, Integer::sum) - 1;
            sent.put(topic + "/0/" + offset, 1);
            history.add(KeyValue.pair(topic, new byte[][] {key, value}));
            pipeline.send(topic, key, value);
        }

        private void checkBronzeToSilver() {
            Map<String, Integer> landed = new TreeMap<>();
            List<String> bronze = pipeline.topics().bronze();
            for (Map.Entry<String, Class<? extends SpecificRecord>> silver : silverTopics().entrySet()) {
                for (Out<String, ? extends SpecificRecord> out : pipeline.read(silver.getKey(), silver.getValue())) {
                    landed.merge(out.header(Lineage.SOURCE), 1, Integer::sum);
                    countGoldInput(out.value());
                }
            }
            for (Stage stage : List.of(Stage.DESERIALIZE, Stage.VALIDATE, Stage.DEDUPE, Stage.ENRICH, Stage.PROCESS)) {
                for (Out<byte[], byte[]> dead : deadLetters(stage)) {
                    if (bronze.contains(dead.header(DeadLetterHeaders.SOURCE_TOPIC))) {
                        landed.merge(dead.header(DeadLetterHeaders.SOURCE_TOPIC) + "/"
                                + dead.header(DeadLetterHeaders.SOURCE_PARTITION) + "/"
                                + dead.header(DeadLetterHeaders.SOURCE_OFFSET), 1, Integer::sum);
                    }
                }
            }
            assertEquals(sent, landed, label + ": each bronze record exactly once in silver or a dead-letter topic");
        }

        /** Silver records a gold aggregate takes in: new lines, new orders, every user event. */
        private void countGoldInput(SpecificRecord value) {
            if (value instanceof EnrichedOrderLine line && Aggregations.counts(line.getOp(), line.getDeleted())) {
                eligibleLines++;
            } else if (value instanceof EnrichedOrder order && Aggregations.counts(order.getOp(), order.getDeleted())) {
                eligibleOrders++;
            } else if (value instanceof CleanUserEvent) {
                silverEvents++;
            }
        }

        private List<Out<byte[], byte[]>> deadLetters(Stage stage) {
            return deadLetters.computeIfAbsent(stage, pipeline::deadLetters);
        }

        private Map<String, Class<? extends SpecificRecord>> silverTopics() {
            Map<String, Class<? extends SpecificRecord>> topics = new TreeMap<>();
            topics.put(pipeline.topics().getSilverCustomers(), Customer.class);
            topics.put(pipeline.topics().getSilverProducts(), Product.class);
            topics.put(pipeline.topics().getSilverExchangeRates(), ExchangeRate.class);
            topics.put(pipeline.topics().getSilverProductCatalog(), ProductCatalogEntry.class);
            topics.put(pipeline.topics().getSilverOrders(), EnrichedOrder.class);
            topics.put(pipeline.topics().getSilverOrderLines(), EnrichedOrderLine.class);
            topics.put(pipeline.topics().getSilverUserEvents(), CleanUserEvent.class);
            return topics;
        }

        /** What gold took in equals what it counted plus what it turned away as late or replayed. */
        private void checkSilverToGold() {
            long linesCounted = 0;
            WindowStore<Long, ProductRevenueHourly> hourly = pipeline.driver()
                    .getWindowStore(StoreNames.PRODUCT_REVENUE_HOURLY);
            try (KeyValueIterator<Windowed<Long>, ProductRevenueHourly> all = hourly.all()) {
                while (all.hasNext()) {
                    linesCounted += all.next().value.getLineCount();
                }
            }
            long ordersCounted = 0;
            WindowStore<String, RegionRevenueDaily> daily = pipeline.driver()
                    .getWindowStore(StoreNames.REGION_REVENUE_DAILY);
            try (KeyValueIterator<Windowed<String>, RegionRevenueDaily> all = daily.all()) {
                while (all.hasNext()) {
                    ordersCounted += all.next().value.getOrderCount();
                }
            }
            long customerOrders = 0;
            KeyValueStore<Long, CustomerTotals> totals = pipeline.driver().getKeyValueStore(StoreNames.CUSTOMER_TOTALS);
            try (KeyValueIterator<Long, CustomerTotals> all = totals.all()) {
                while (all.hasNext()) {
                    customerOrders += all.next().value.getOrderCount();
                }
            }
            long sessionEvents = 0;
            // The sessions store is keyed by the user id's UTF-8 bytes.
            SessionStore<byte[], UserSession> sessions = pipeline.driver().getSessionStore(StoreNames.USER_SESSIONS);
            for (String user : List.of("user-1", "user-2", "user-3", "user-4")) {
                try (KeyValueIterator<Windowed<byte[]>, UserSession> all = sessions.fetch(
                        user.getBytes(StandardCharsets.UTF_8))) {
                    while (all.hasNext()) {
                        sessionEvents += all.next().value.getEventCount();
                    }
                }
            }
            String silverLines = pipeline.topics().getSilverOrderLines();
            String silverOrders = pipeline.topics().getSilverOrders();
            assertEquals(eligibleLines, linesCounted + from(Stage.LATE, "order-lines-by-product")
                    + from(Stage.DEDUPE, silverLines), label + ": order lines into gold");
            assertEquals(eligibleOrders, ordersCounted + from(Stage.LATE, "orders-by-region")
                    + from(Stage.DEDUPE, silverOrders), label + ": orders into gold");
            assertEquals(ordersCounted, customerOrders, label + ": customer totals count the orders regions count");
            assertEquals(silverEvents, sessionEvents + from(Stage.LATE, pipeline.topics().getSilverUserEvents()),
                    label + ": user events into sessions");
            assertTrue(linesCounted + ordersCounted + sessionEvents > 0, label + ": gold counted something");
        }

        /** Dead letters of {@code stage} whose source topic contains {@code source}. */
        private long from(Stage stage, String source) {
            return deadLetters(stage).stream()
                    .filter(d -> d.header(DeadLetterHeaders.SOURCE_TOPIC).contains(source))
                    .count();
        }
    }
}
