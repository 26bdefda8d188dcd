package dev.sluice.app.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.sluice.app.failure.Stage;
import io.micronaut.context.annotation.ConfigurationProperties;

/**
 * Names and sizing of the topics the topology reads and writes, from {@code sluice.topics.*} in application.yml
 * (keys in kebab case, e.g. {@code sluice.topics.order-items}). Names follow {@code bronze.<source>.<entity>},
 * {@code silver.<entity>} and {@code gold.<aggregate>}; dead-letter topics are {@code dlq.<stage>}, see
 * {@link Stage}.
 */
@ConfigurationProperties("sluice.topics")
public class PipelineTopics {
    private String customers = "bronze.pg.customers";
    private String products = "bronze.pg.products";
    private String orders = "bronze.pg.orders";
    private String orderItems = "bronze.pg.order_items";
    private String exchangeRates = "bronze.warehouse.exchange_rates";
    private String productCatalog = "bronze.warehouse.product_catalog";
    private String userEvents = "bronze.events.user_events";
    private String silverCustomers = "silver.customers";
    private String silverProducts = "silver.products";
    private String silverExchangeRates = "silver.exchange_rates";
    private String silverProductCatalog = "silver.product_catalog";
    private String silverOrders = "silver.orders";
    private String silverOrderLines = "silver.order_lines";
    private String silverUserEvents = "silver.user_events";
    private String goldProductRevenueHourly = "gold.product_revenue_hourly";
    private String goldRegionRevenueDaily = "gold.region_revenue_daily";
    private String goldCustomerTotals = "gold.customer_totals";
    private String goldUserSessions = "gold.user_sessions";
    /** The redrive ledger (docs/dlq.md): which dead letters were redriven, by which run; compacted. */
    private String replays = "sluice.replays";
    private int partitions = 3;
    private Retention retention = new Retention();

    /** Bronze CDC of shop.customers. */
    public String getCustomers() {
        return customers;
    }

    public void setCustomers(String customers) {
        this.customers = customers;
    }

    /** Bronze CDC of shop.products. */
    public String getProducts() {
        return products;
    }

    public void setProducts(String products) {
        this.products = products;
    }

    /** Bronze CDC of shop.orders. */
    public String getOrders() {
        return orders;
    }

    public void setOrders(String orders) {
        this.orders = orders;
    }

    /** Bronze CDC of shop.order_items. */
    public String getOrderItems() {
        return orderItems;
    }

    public void setOrderItems(String orderItems) {
        this.orderItems = orderItems;
    }

    /** Bronze JDBC source of warehouse.exchange_rates. */
    public String getExchangeRates() {
        return exchangeRates;
    }

    public void setExchangeRates(String exchangeRates) {
        this.exchangeRates = exchangeRates;
    }

    /** Bronze JDBC source of warehouse.product_catalog. */
    public String getProductCatalog() {
        return productCatalog;
    }

    public void setProductCatalog(String productCatalog) {
        this.productCatalog = productCatalog;
    }

    /** Bronze application events. */
    public String getUserEvents() {
        return userEvents;
    }

    public void setUserEvents(String userEvents) {
        this.userEvents = userEvents;
    }

    /** Silver customers (compacted; PII policy applied). */
    public String getSilverCustomers() {
        return silverCustomers;
    }

    public void setSilverCustomers(String silverCustomers) {
        this.silverCustomers = silverCustomers;
    }

    /** Silver products (compacted). */
    public String getSilverProducts() {
        return silverProducts;
    }

    public void setSilverProducts(String silverProducts) {
        this.silverProducts = silverProducts;
    }

    /** Silver exchange rates (compacted). */
    public String getSilverExchangeRates() {
        return silverExchangeRates;
    }

    public void setSilverExchangeRates(String silverExchangeRates) {
        this.silverExchangeRates = silverExchangeRates;
    }

    /** Silver product catalog (compacted). */
    public String getSilverProductCatalog() {
        return silverProductCatalog;
    }

    public void setSilverProductCatalog(String silverProductCatalog) {
        this.silverProductCatalog = silverProductCatalog;
    }

    /** Silver enriched orders. */
    public String getSilverOrders() {
        return silverOrders;
    }

    public void setSilverOrders(String silverOrders) {
        this.silverOrders = silverOrders;
    }

    /** Silver enriched order lines. */
    public String getSilverOrderLines() {
        return silverOrderLines;
    }

    public void setSilverOrderLines(String silverOrderLines) {
        this.silverOrderLines = silverOrderLines;
    }

    /** Silver validated, deduplicated user events. */
    public String getSilverUserEvents() {
        return silverUserEvents;
    }

    public void setSilverUserEvents(String silverUserEvents) {
        this.silverUserEvents = silverUserEvents;
    }

    /** Gold revenue per product per hour. */
    public String getGoldProductRevenueHourly() {
        return goldProductRevenueHourly;
    }

    public void setGoldProductRevenueHourly(String goldProductRevenueHourly) {
        this.goldProductRevenueHourly = goldProductRevenueHourly;
    }

    /** Gold revenue per region per day. */
    public String getGoldRegionRevenueDaily() {
        return goldRegionRevenueDaily;
    }

    public void setGoldRegionRevenueDaily(String goldRegionRevenueDaily) {
        this.goldRegionRevenueDaily = goldRegionRevenueDaily;
    }

    /** Gold running totals per customer. */
    public String getGoldCustomerTotals() {
        return goldCustomerTotals;
    }

    public void setGoldCustomerTotals(String goldCustomerTotals) {
        this.goldCustomerTotals = goldCustomerTotals;
    }

    /** Gold user sessions. */
    public String getGoldUserSessions() {
        return goldUserSessions;
    }

    public void setGoldUserSessions(String goldUserSessions) {
        this.goldUserSessions = goldUserSessions;
    }

    /** Partitions of topics this app creates when they are missing. */
    public String getReplays() {
        return replays;
    }

    public void setReplays(String replays) {
        this.replays = replays;
    }

    public int getPartitions() {
        return partitions;
    }

    public void setPartitions(int partitions) {
        this.partitions = partitions;
    }

    /** How long the topics this app creates keep their records, per layer. */
    public Retention getRetention() {
        return retention;
    }

    public void setRetention(Retention retention) {
        this.retention = retention;
    }

    /** The topics the pipeline reads from outside. */
    public List<String> bronze() {
        return List.of(customers, products, orders, orderItems, exchangeRates, productCatalog, userEvents);
    }

    /** Silver topics that hold current state per key, and must therefore be compacted. */
    public List<String> silverCompacted() {
        return List.of(silverCustomers, silverProducts, silverExchangeRates, silverProductCatalog);
    }

    /** Silver topics that hold every change or event. */
    public List<String> silverLogs() {
        return List.of(silverOrders, silverOrderLines, silverUserEvents);
    }

    /** Gold topics: one latest value per aggregate key, compacted. */
    public List<String> gold() {
        return List.of(goldProductRevenueHourly, goldRegionRevenueDaily, goldCustomerTotals, goldUserSessions);
    }

    /**
     * The dead-letter topic of the source connectors (written by their ConvertOrDeadLetter transform, in the same
     * header format as this app's dead letters, stage {@code source}). Listed here so that the dead-letter monitor
     * counts it and the app creates it with the dead-letter retention.
     */
    public static final String SOURCE_DEAD_LETTER = Stage.TOPIC_PREFIX + "source";

    /** The dead-letter topics: one per stage of the topology, and the sources' {@link #SOURCE_DEAD_LETTER}. */
    public List<String> deadLetter() {
        List<String> topics = new ArrayList<>(Arrays.stream(Stage.values()).map(Stage::topic).toList());
        topics.add(SOURCE_DEAD_LETTER);
        return List.copyOf(topics);
    }

    /** Every topic the topology reads or writes (internal topics excepted). */
    public List<String> all() {
        List<String> all = new ArrayList<>(bronze());
        all.addAll(silverCompacted());
        all.addAll(silverLogs());
        all.addAll(gold());
        all.addAll(deadLetter());
        return all;
    }

    /**
     * Kafka retention per layer, {@code sluice.topics.retention.*}, set on the topics this app creates (existing
     * topics keep theirs). Compacted topics (silver state, gold) keep the latest record per key instead and get
     * none. The lake keeps every layer far longer (docs/lake/retention.md).
     */
    @ConfigurationProperties("retention")
    public static class Retention {
        private Duration bronze = Duration.ofDays(7);
        private Duration silver = Duration.ofDays(14);
        private Duration deadLetter = Duration.ofDays(30);

        /** Bronze: long enough to replay the pipeline after a fix, a week. */
        public Duration getBronze() {
            return bronze;
        }

        public void setBronze(Duration bronze) {
            this.bronze = bronze;
        }

        /** Silver change and event logs: what gold and the lake sinks re-read after an outage, two weeks. */
        public Duration getSilver() {
            return silver;
        }

        public void setSilver(Duration silver) {
            this.silver = silver;
        }

        /** Dead letters: time to look into them and replay the fixed ones, thirty days. */
        public Duration getDeadLetter() {
            return deadLetter;
        }

        public void setDeadLetter(Duration deadLetter) {
            this.deadLetter = deadLetter;
        }
    }
}
