package dev.sluice.app.enrich;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.sluice.app.failure.Stage;
import dev.sluice.app.silver.Lineage;
import dev.sluice.app.silver.PiiPolicy;
import dev.sluice.app.silver.PiiSettings;
import dev.sluice.app.testing.BronzeSchemas;
import dev.sluice.app.testing.Out;
import dev.sluice.app.testing.PipelineDriver;
import dev.sluice.app.testing.Rows;
import dev.sluice.schemas.silver.Customer;
import dev.sluice.schemas.silver.EnrichedOrder;
import dev.sluice.schemas.silver.EnrichedOrderLine;

/**
 * The joins of orders with customers, of lines with orders and products, the currency conversion, the PII policy,
 * lineage, and the early-arrival policy: wait up to the bound (30 s of wall-clock time), then emit flagged, never
 * drop, never reorder.
 */
class EnrichmentTopologyTest {

    private static final Instant ORDERED = PipelineDriver.NOW.minusSeconds(120);
    private static final Duration WAIT = Duration.ofSeconds(30);

    private PipelineDriver pipeline;

    @BeforeEach
    void start() {
        pipeline = PipelineDriver.start();
        pipeline.rate(Rows.rate(1, "USD", "0.92", PipelineDriver.NOW.minus(Duration.ofDays(1))));
    }

    @AfterEach
    void stop() {
        pipeline.close();
    }

    @Test
    void anOrderIsJoinedWithItsCustomerAndConvertedWithPiiApplied() {
        pipeline.customer(Rows.customer(1));
        pipeline.order(Rows.order(100, 1, "USD", "100.00", ORDERED));

        EnrichedOrder order = only(orders()).value();
        assertEquals(List.of(), order.getFlags());
        assertEquals("EMEA", order.getCustomerRegion());
        assertEquals("GB", order.getCustomerCountry());
        assertEquals(new BigDecimal("0.9200000000"), order.getExchangeRate());
        assertEquals(new BigDecimal("92.00"), order.getTotalAmountReporting());
        assertEquals("EUR", order.getReportingCurrency());
        PiiSettings pii = new PiiSettings();
        pii.setHashKey(PipelineDriver.HASH_KEY);
        String hashed = new PiiPolicy(pii).email("customer-1@example.com");
        assertEquals(hashed, order.getCustomerEmail(), "the order carries the customer's email as hashed in silver");
        assertTrue(hashed.matches("[0-9a-f]{64}"));
        Customer customer = only(pipeline.read(pipeline.topics().getSilverCustomers(), Customer.class)).value();
        assertEquals(hashed, customer.getEmail());
        assertEquals("A*** L***", customer.getFullName());
    }

    @Test
    void anOrderBeforeItsCustomerWaitsAndIsJoinedWhenTheCustomerArrives() {
        pipeline.order(Rows.order(101, 2, "EUR", "10.00", ORDERED));
        pipeline.advanceWallClock(Duration.ofSeconds(5));
        assertEquals(List.of(), orders(), "waiting for its customer");

        pipeline.customer(Rows.customer(2));
        pipeline.advanceWallClock(Duration.ofSeconds(1));
        EnrichedOrder order = only(orders()).value();
        assertEquals(List.of(), order.getFlags());
        assertEquals("EMEA", order.getCustomerRegion());
    }

    @Test
    void anOrderWhoseCustomerNeverComesIsEmittedFlaggedOnceTheWaitEnds() {
        pipeline.order(Rows.order(102, 99, "EUR", "10.00", ORDERED));
        pipeline.advanceWallClock(WAIT.minusSeconds(1));
        assertEquals(List.of(), orders());
        pipeline.advanceWallClock(Duration.ofSeconds(2));

        EnrichedOrder order = only(orders()).value();
        assertEquals(List.of(Flags.CUSTOMER_MISSING), order.getFlags());
        assertNull(order.getCustomerRegion());
        assertEquals(new BigDecimal("10.00"), order.getTotalAmountReporting(), "EUR needs no rate");
    }

    @Test
    void laterOrdersSeeTheUpdatedCustomerEarlierOnesKeepWhatTheySaw() {
        pipeline.customer(Rows.customer(3));
        pipeline.order(Rows.order(103, 3, "EUR", "10.00", ORDERED));
        Map<String, Object> moved = Rows.updated(Rows.customer(3));
        moved.put("region", "APAC");
        pipeline.customer(moved);
        pipeline.order(Rows.order(104, 3, "EUR", "10.00", ORDERED));

        List<Out<String, EnrichedOrder>> orders = orders();
        assertEquals(List.of("103", "104"), orders.stream().map(Out::key).toList());
        assertEquals("EMEA", orders.get(0).value().getCustomerRegion());
        assertEquals("APAC", orders.get(1).value().getCustomerRegion());
    }

    @Test
    void aDeletedCustomerIsForgottenWhetherDeletedByFlagOrByTombstone() {
        pipeline.customer(Rows.customer(4));
        pipeline.customer(Rows.deleted(Rows.customer(4)));
        pipeline.customer(Rows.customer(5));
        pipeline.tombstone(pipeline.topics().getCustomers(), BronzeSchemas.CUSTOMER_KEY, 5L);

        List<Out<String, Customer>> silver = pipeline.read(pipeline.topics().getSilverCustomers(), Customer.class);
        assertEquals(List.of("4", "4", "5", "5"), silver.stream().map(Out::key).toList());
        assertTrue(silver.get(1).value().getDeleted(), "a rewrite delete stays a record, flagged deleted");
        assertEquals("d", silver.get(1).value().getOp());
        assertNull(silver.get(3).value(), "a Kafka tombstone stays a tombstone");

        pipeline.order(Rows.order(105, 4, "EUR", "10.00", ORDERED));
        pipeline.order(Rows.order(106, 5, "EUR", "10.00", ORDERED));
        pipeline.advanceWallClock(WAIT.plusSeconds(1));
        List<Out<String, EnrichedOrder>> orders = orders();
        assertEquals(2, orders.size());
        orders.forEach(o -> assertEquals(List.of(Flags.CUSTOMER_MISSING), o.value().getFlags(), o.key()));
    }

    @Test
    void aLineBeforeItsOrderIsReleasedTheMomentTheOrderArrives() {
        pipeline.customer(Rows.customer(6));
        pipeline.product(Rows.product(7, "50.00", "USD"));
        pipeline.item(Rows.item(200, 1, 7, 2, "50.00"));
        assertEquals(List.of(), lines(), "waiting for its order");

        pipeline.order(Rows.order(200, 6, "USD", "100.00", ORDERED));
        EnrichedOrderLine line = only(lines()).value();
        assertEquals(List.of(), line.getFlags());
        assertEquals("USD", line.getCurrency());
        assertEquals(ORDERED, line.getOrderedAt());
        assertEquals(6L, line.getCustomerId());
        assertEquals(new BigDecimal("100.00"), line.getLineAmount());
        assertEquals(new BigDecimal("92.00"), line.getLineAmountReporting());
        assertEquals("Espresso machine 7", line.getProductName());
    }

    @Test
    void linesSeeProductUpdatesAndDeletes() {
        pipeline.customer(Rows.customer(8));
        pipeline.order(Rows.order(201, 8, "EUR", "30.00", ORDERED));
        pipeline.item(Rows.item(201, 1, 9, 1, "10.00"));
        pipeline.advanceWallClock(WAIT.plusSeconds(1));
        pipeline.product(Rows.product(9, "10.00", "EUR"));
        pipeline.item(Rows.item(201, 2, 9, 1, "10.00"));
        Map<String, Object> renamed = Rows.updated(Rows.product(9, "12.00", "EUR"));
        renamed.put("name", "Espresso machine Mk II");
        pipeline.product(renamed);
        pipeline.item(Rows.item(201, 3, 9, 1, "12.00"));
        pipeline.product(Rows.deleted(Rows.product(9, "12.00", "EUR")));
        pipeline.item(Rows.item(201, 4, 9, 1, "12.00"));
        pipeline.advanceWallClock(WAIT.plusSeconds(1));

        List<Out<String, EnrichedOrderLine>> lines = lines();
        assertEquals(List.of("201:1", "201:2", "201:3", "201:4"), lines.stream().map(Out::key).toList());
        assertEquals(List.of(Flags.PRODUCT_MISSING), lines.get(0).value().getFlags(), "missing product");
        assertEquals("Espresso machine 9", lines.get(1).value().getProductName());
        assertEquals("Espresso machine Mk II", lines.get(2).value().getProductName(), "updated product");
        assertEquals(List.of(Flags.PRODUCT_MISSING), lines.get(3).value().getFlags(), "deleted product");
        assertNull(lines.get(3).value().getProductName());
    }

    @Test
    void withoutARateTheAmountIsNotConvertedButTheOrderIsNotLost() {
        pipeline.customer(Rows.customer(10));
        pipeline.order(Rows.order(300, 10, "GBP", "10.00", ORDERED));
        pipeline.advanceWallClock(WAIT.plusSeconds(1));
        EnrichedOrder order = only(orders()).value();
        assertEquals(List.of(Flags.RATE_MISSING), order.getFlags());
        assertNull(order.getTotalAmountReporting());
        assertNull(order.getExchangeRate());
    }

    @Test
    void theRateWithTheLatestValidityWinsWhateverTheArrivalOrder() {
        pipeline.rate(Rows.rate(2, "GBP", "1.17000000", PipelineDriver.NOW.minus(Duration.ofDays(1))));
        pipeline.rate(Rows.rate(3, "GBP", "1.20000000", PipelineDriver.NOW.minus(Duration.ofDays(3))));
        pipeline.customer(Rows.customer(11));
        pipeline.order(Rows.order(301, 11, "GBP", "100.00", ORDERED));
        assertEquals(new BigDecimal("117.00"), only(orders()).value().getTotalAmountReporting());
    }

    @Test
    void aLaterChangeOfAWaitingOrderNeverOvertakesIt() {
        pipeline.order(Rows.order(302, 12, "EUR", "10.00", ORDERED));
        Map<String, Object> paid = Rows.updated(Rows.order(302, 12, "EUR", "10.00", ORDERED));
        paid.put("status", "PAID");
        pipeline.order(paid);
        assertEquals(List.of(), orders(), "both wait, in order");
        pipeline.customer(Rows.customer(12));
        pipeline.advanceWallClock(Duration.ofSeconds(1));
        List<Out<String, EnrichedOrder>> orders = orders();
        assertEquals(List.of("NEW", "PAID"), orders.stream().map(o -> o.value().getStatus()).toList());
    }

    @Test
    void deletesAndTombstonesNeverWait() {
        pipeline.order(Rows.deleted(Rows.order(303, 77, "EUR", "10.00", ORDERED)));
        pipeline.tombstone(pipeline.topics().getOrders(), BronzeSchemas.ORDER_KEY, 304L);
        pipeline.tombstone(pipeline.topics().getOrderItems(), BronzeSchemas.ORDER_ITEM_KEY, 304L, 1);

        List<Out<String, EnrichedOrder>> orders = orders();
        assertEquals(List.of("303", "304"), orders.stream().map(Out::key).toList());
        assertTrue(orders.get(0).value().getDeleted());
        assertEquals(List.of(Flags.CUSTOMER_MISSING), orders.get(0).value().getFlags());
        assertNull(orders.get(1).value(), "a tombstone stays a tombstone");
        List<Out<String, EnrichedOrderLine>> lines = lines();
        assertEquals("304:1", only(lines).key());
        assertNull(lines.get(0).value());
    }

    @Test
    void silverRecordsCarryLineageAndTheSourceHeaders() {
        RecordHeaders headers = new RecordHeaders();
        headers.add("traceparent", "00-abc-01".getBytes(StandardCharsets.UTF_8));
        String topic = pipeline.topics().getCustomers();
        pipeline.send(topic, pipeline.bronze().key(topic, BronzeSchemas.CUSTOMER_KEY, 13L),
                pipeline.bronze().value(topic, BronzeSchemas.CUSTOMER, Rows.customer(13)), headers,
                PipelineDriver.NOW);
        pipeline.order(Rows.order(305, 13, "EUR", "10.00", ORDERED));

        Out<String, Customer> customer = only(pipeline.read(pipeline.topics().getSilverCustomers(), Customer.class));
        assertEquals("00-abc-01", customer.header("traceparent"));
        assertEquals(topic + "/0/0", customer.header(Lineage.SOURCE));
        assertEquals(PipelineDriver.NOW, Instant.parse(customer.header(Lineage.INGESTED_AT)));
        assertNotNull(customer.header(Lineage.PIPELINE_VERSION));
        Out<String, EnrichedOrder> order = only(orders());
        assertTrue(order.header(Lineage.SOURCE).startsWith(pipeline.topics().getOrders() + "/0/"),
                order.header(Lineage.SOURCE));
        for (Stage stage : Stage.values()) {
            assertFalse(pipeline.deadLetters(stage).iterator().hasNext(), stage.topic());
        }
    }

    private List<Out<String, EnrichedOrder>> orders() {
        return pipeline.read(pipeline.topics().getSilverOrders(), EnrichedOrder.class);
    }

    private List<Out<String, EnrichedOrderLine>> lines() {
        return pipeline.read(pipeline.topics().getSilverOrderLines(), EnrichedOrderLine.class);
    }

    private static <T> T only(List<T> list) {
        assertEquals(1, list.size(), "exactly one record: " + list);
        return list.get(0);
    }
}
