package dev.sluice.app.enrich;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

import dev.sluice.app.failure.Stage;
import dev.sluice.app.metrics.PipelineMetrics;
import dev.sluice.app.serde.InternalSerde;
import dev.sluice.app.stores.StoreNames;
import dev.sluice.app.tracing.Tracing;
import dev.sluice.schemas.internal.Order;
import dev.sluice.schemas.internal.OrderEvent;
import dev.sluice.schemas.internal.OrderItem;
import dev.sluice.schemas.internal.PendingEvent;
import dev.sluice.schemas.internal.PendingEvents;
import dev.sluice.schemas.internal.PendingHeader;
import dev.sluice.schemas.silver.Customer;
import dev.sluice.schemas.silver.EnrichedOrder;
import dev.sluice.schemas.silver.EnrichedOrderLine;
import dev.sluice.schemas.silver.Product;
import io.opentelemetry.api.trace.Span;

/**
 * Stage enrich for orders and their lines, which arrive here partitioned by order id. An order is joined with its
 * customer (global table) and converted to the reporting currency; a line with its order (kept here), its product
 * (global table) and the order's currency rate.
 *
 * <p>Early-arrival policy: a change whose customer, order, product or rate is not known yet waits, in arrival order
 * per order or line, until it is known or {@link EnrichSettings#getReferenceWait()} of wall-clock time has passed;
 * then it is emitted with {@link Flags} naming what is missing. Nothing is dropped, and a later change of the same
 * order or line never overtakes an earlier one. Deletes and tombstones never wait. Waiting changes retry every
 * {@link EnrichSettings#getRetryInterval()} and at once when their order arrives.
 *
 * <p>Orders are kept with the wall-clock time of their last change and dropped by {@link OrderExpiry} once they
 * will see no more lines. A change of a dropped order stores it again (a change carries the whole row); a line of a
 * dropped order is emitted flagged {@link Flags#ORDER_MISSING} after the wait, as a line whose order never came.
 */
public final class OrderEnricher implements Processor<String, OrderEvent, String, EnrichedOutput> {

    private static final String ORDERS = "orders";
    private static final String LINES = "order_items";

    private final CurrencyConverter converter;
    private final Duration wait;
    private final Duration retryInterval;
    private final PipelineMetrics metrics;
    private final Tracing tracing;
    private final InternalSerde<OrderEvent> events = InternalSerde.of(OrderEvent.class);
    private ProcessorContext<String, EnrichedOutput> context;
    private TimestampedKeyValueStore<String, Order> orders;
    private KeyValueStore<String, PendingEvents> pendingOrders;
    private KeyValueStore<String, PendingEvents> pendingLines;
    private final WaitingLines waitingLines = new WaitingLines();
    private final OrderExpiry expiry;
    private final Duration sweepInterval;
    private ReferenceLookups lookups;
    private final ReferenceChanges references;
    /** The reference version the last full retry saw; none yet after a start (the stores may hold waiting events). */
    private long retriedAtVersion = -1;
    /** No waiting event's wait runs out before this (wall clock, ms); a lower bound, never later than the truth. */
    private long nextExpiryMs = Long.MIN_VALUE;

    /**
     * @param references bumped when a reference table changes: the periodic retry of waiting events is skipped while
     *        no reference changed and no wait ran out
     */
    public OrderEnricher(EnrichSettings settings, PipelineMetrics metrics, ReferenceChanges references,
            Tracing tracing) {
        this.references = references;
        this.converter = new CurrencyConverter(settings.getReportingCurrency());
        this.wait = settings.getReferenceWait();
        this.retryInterval = settings.getRetryInterval();
        this.expiry = new OrderExpiry(settings);
        this.sweepInterval = settings.getOrderSweepInterval();
        this.metrics = metrics;
        this.tracing = tracing;
    }

    @Override
    public void init(ProcessorContext<String, EnrichedOutput> context) {
        this.context = context;
        this.orders = context.getStateStore(StoreNames.ORDERS_STATE);
        this.pendingOrders = context.getStateStore(StoreNames.PENDING_ORDERS);
        this.pendingLines = context.getStateStore(StoreNames.PENDING_LINES);
        waitingLines.rebuild(pendingLines);
        this.lookups = new ReferenceLookups(references, context.getStateStore(StoreNames.CUSTOMERS_TABLE),
                context.getStateStore(StoreNames.PRODUCTS_TABLE), context.getStateStore(StoreNames.RATES_TABLE),
                converter);
        context.schedule(retryInterval, PunctuationType.WALL_CLOCK_TIME, this::retryAll);
        context.schedule(sweepInterval, PunctuationType.WALL_CLOCK_TIME, now -> metrics.expired(
                StoreNames.ORDERS_STATE, expiry.sweep(orders, now)));
    }

    @Override
    public void process(Record<String, OrderEvent> record) {
        OrderEvent event = record.value();
        if (event == null) {
            throw new IllegalArgumentException("an order event without value");
        }
        long now = context.currentSystemTimeMs();
        if (event.getLineNo() == null) {
            metrics.in(Stage.ENRICH, ORDERS);
            String key = Long.toString(event.getOrderId());
            if (event.getTombstone() || event.getOrder().getDeleted()) {
                orders.delete(key);
            } else {
                orders.put(key, ValueAndTimestamp.make(event.getOrder(), now));
            }
            submit(pendingOrders, key, event, record, now);
            releaseLinesOf(event.getOrderId(), now);
        } else {
            metrics.in(Stage.ENRICH, LINES);
            submit(pendingLines, lineKey(event.getOrderId(), event.getLineNo()), event, record, now);
        }
    }

    /** Key of an order line in silver.order_lines and in the pending store. */
    public static String lineKey(long orderId, int lineNo) {
        return orderId + ":" + lineNo;
    }

    private void submit(KeyValueStore<String, PendingEvents> pending, String key, OrderEvent event,
            Record<String, OrderEvent> record, long now) {
        PendingEvents queue = pending.get(key);
        if (queue == null) {
            Optional<Record<String, EnrichedOutput>> out = attempt(event, record.timestamp(), record.headers(), false);
            if (out.isPresent()) {
                context.forward(traced(out.get(), event));
                return;
            }
            queue = new PendingEvents(new ArrayList<>());
        }
        queue.getEvents().add(new PendingEvent(ByteBuffer.wrap(events.encode(event)), record.timestamp(), now,
                headersOf(record.headers())));
        pending.put(key, queue);
        if (pending == pendingLines) {
            waitingLines.add(key);
        }
        nextExpiryMs = Math.min(nextExpiryMs, now + wait.toMillis());
        metrics.out(Stage.ENRICH, event.getLineNo() == null ? ORDERS : LINES, "waiting");
        drain(pending, key, now);
    }

    /** Emits what can be emitted of {@code key}'s waiting events, in order; the first still waiting, if any. */
    private Optional<PendingEvent> drain(KeyValueStore<String, PendingEvents> pending, String key, long now) {
        PendingEvents queue = pending.get(key);
        if (queue == null) {
            return Optional.empty();
        }
        List<PendingEvent> waiting = queue.getEvents();
        int emitted = 0;
        for (PendingEvent entry : waiting) {
            OrderEvent event = events.decode(bytes(entry.getPayload()));
            boolean expired = now - entry.getFirstSeenMs() >= wait.toMillis();
            Optional<Record<String, EnrichedOutput>> out = attempt(event, entry.getTimestamp(),
                    headersOf(entry.getHeaders()), expired);
            if (out.isEmpty()) {
                break;
            }
            context.forward(traced(out.get(), event));
            emitted++;
        }
        if (emitted == waiting.size()) {
            pending.delete(key);
            if (pending == pendingLines) {
                waitingLines.remove(key);
            }
            return Optional.empty();
        }
        if (emitted > 0) {
            pending.put(key, new PendingEvents(new ArrayList<>(waiting.subList(emitted, waiting.size()))));
        }
        return Optional.of(waiting.get(emitted));
    }

    /**
     * {@code out} with the trace context of its join's span, a child of the context its event arrived with (kept
     * with the event while it waited, so a span after a wait shows where the trace paused).
     */
    private Record<String, EnrichedOutput> traced(Record<String, EnrichedOutput> out, OrderEvent event) {
        if (!tracing.enabled()) {
            return out;
        }
        Span span = tracing.startStage("enrich.join", Stage.ENRICH, event.getLineNo() == null ? ORDERS : LINES,
                out.headers(), context);
        span.end();
        tracing.inject(span, out.headers());
        return out;
    }

    private void releaseLinesOf(long orderId, long now) {
        for (String key : waitingLines.of(orderId)) {
            drain(pendingLines, key, now);
        }
    }

    /**
     * Retries every waiting event, but only when that can change something: a reference table changed since the last
     * retry, or some wait ran out. A scan decodes every waiting event, and with a backlog of waiting events it was
     * the largest single CPU cost of the stream thread (docs/topology.md).
     */
    private void retryAll(long now) {
        long version = references.version();
        if (version == retriedAtVersion && now < nextExpiryMs) {
            return;
        }
        retriedAtVersion = version;
        long nextExpiry = Long.MAX_VALUE;
        for (KeyValueStore<String, PendingEvents> pending : List.of(pendingOrders, pendingLines)) {
            List<String> keys = new ArrayList<>();
            try (KeyValueIterator<String, PendingEvents> all = pending.all()) {
                all.forEachRemaining(entry -> keys.add(entry.key));
            }
            for (String key : keys) {
                Optional<PendingEvent> head = drain(pending, key, now);
                if (head.isPresent()) {
                    nextExpiry = Math.min(nextExpiry, head.get().getFirstSeenMs() + wait.toMillis());
                }
            }
        }
        nextExpiryMs = nextExpiry;
    }

    /** The enriched record, or empty when it should wait for a missing reference. */
    private Optional<Record<String, EnrichedOutput>> attempt(OrderEvent event, long timestamp, Headers headers,
            boolean expired) {
        return event.getLineNo() == null
                ? attemptOrder(event, timestamp, headers, expired)
                : attemptLine(event, timestamp, headers, expired);
    }

    private Optional<Record<String, EnrichedOutput>> attemptOrder(OrderEvent event, long timestamp, Headers headers,
            boolean expired) {
        String key = Long.toString(event.getOrderId());
        if (event.getTombstone()) {
            metrics.out(Stage.ENRICH, ORDERS, "tombstone");
            return Optional.of(new Record<>(key, new EnrichedOutput(EnrichedOutput.Kind.ORDER, null), timestamp,
                    headers));
        }
        Order order = event.getOrder();
        Customer customer = lookups.customer(order.getCustomerId());
        BigDecimal rate = lookups.rate(order.getCurrency());
        boolean complete = customer != null && rate != null;
        if (!complete && !expired && !order.getDeleted()) {
            return Optional.empty();
        }
        List<String> flags = new ArrayList<>();
        if (customer == null) {
            flags.add(Flags.CUSTOMER_MISSING);
        }
        if (rate == null) {
            flags.add(Flags.RATE_MISSING);
        }
        EnrichedOrder enriched = EnrichedOrder.newBuilder()
                .setOrderId(order.getOrderId())
                .setCustomerId(order.getCustomerId())
                .setStatus(order.getStatus())
                .setCurrency(order.getCurrency())
                .setTotalAmount(order.getTotalAmount())
                .setReportingCurrency(converter.reportingCurrency())
                .setExchangeRate(rate)
                .setTotalAmountReporting(CurrencyConverter.convert(order.getTotalAmount(), rate))
                .setOrderedAt(order.getOrderedAt())
                .setUpdatedAt(order.getUpdatedAt())
                .setCustomerEmail(customer == null ? null : customer.getEmail())
                .setCustomerRegion(customer == null ? null : customer.getRegion())
                .setCustomerCountry(customer == null ? null : customer.getCountry())
                .setDeleted(order.getDeleted())
                .setOp(order.getOp())
                .setSourceLsn(order.getSourceLsn())
                .setSourceTs(order.getSourceTs())
                .setFlags(flags)
                .build();
        metrics.out(Stage.ENRICH, ORDERS, flags.isEmpty() ? "enriched" : "flagged");
        return Optional.of(new Record<>(key, new EnrichedOutput(EnrichedOutput.Kind.ORDER, enriched), timestamp,
                headers));
    }

    private Optional<Record<String, EnrichedOutput>> attemptLine(OrderEvent event, long timestamp, Headers headers,
            boolean expired) {
        String key = lineKey(event.getOrderId(), event.getLineNo());
        if (event.getTombstone()) {
            metrics.out(Stage.ENRICH, LINES, "tombstone");
            return Optional.of(new Record<>(key, new EnrichedOutput(EnrichedOutput.Kind.LINE, null), timestamp,
                    headers));
        }
        OrderItem item = event.getItem();
        Order order = ValueAndTimestamp.getValueOrNull(orders.get(Long.toString(item.getOrderId())));
        Product product = lookups.product(item.getProductId());
        BigDecimal rate = order == null ? null : lookups.rate(order.getCurrency());
        boolean complete = order != null && product != null && rate != null;
        if (!complete && !expired && !item.getDeleted()) {
            return Optional.empty();
        }
        List<String> flags = new ArrayList<>();
        if (order == null) {
            flags.add(Flags.ORDER_MISSING);
        }
        if (product == null) {
            flags.add(Flags.PRODUCT_MISSING);
        }
        if (order != null && rate == null) {
            flags.add(Flags.RATE_MISSING);
        }
        BigDecimal amount = item.getUnitPrice().multiply(BigDecimal.valueOf(item.getQuantity()));
        EnrichedOrderLine line = EnrichedOrderLine.newBuilder()
                .setOrderId(item.getOrderId())
                .setLineNo(item.getLineNo())
                .setProductId(item.getProductId())
                .setProductSku(product == null ? null : product.getSku())
                .setProductName(product == null ? null : product.getName())
                .setProductCategory(product == null ? null : product.getCategory())
                .setQuantity(item.getQuantity())
                .setUnitPrice(item.getUnitPrice())
                .setLineAmount(amount)
                .setCurrency(order == null ? null : order.getCurrency())
                .setReportingCurrency(converter.reportingCurrency())
                .setExchangeRate(rate)
                .setLineAmountReporting(CurrencyConverter.convert(amount, rate))
                .setCustomerId(order == null ? null : order.getCustomerId())
                .setOrderedAt(order == null ? null : order.getOrderedAt())
                .setDeleted(item.getDeleted())
                .setOp(item.getOp())
                .setSourceLsn(item.getSourceLsn())
                .setSourceTs(item.getSourceTs())
                .setFlags(flags)
                .build();
        metrics.out(Stage.ENRICH, LINES, flags.isEmpty() ? "enriched" : "flagged");
        return Optional.of(new Record<>(key, new EnrichedOutput(EnrichedOutput.Kind.LINE, line), timestamp,
                headers));
    }

    private static List<PendingHeader> headersOf(Headers headers) {
        List<PendingHeader> out = new ArrayList<>();
        for (Header header : headers) {
            out.add(new PendingHeader(header.key(), header.value() == null ? null : ByteBuffer.wrap(header.value())));
        }
        return out;
    }

    private static Headers headersOf(List<PendingHeader> stored) {
        RecordHeaders headers = new RecordHeaders();
        for (PendingHeader header : stored) {
            headers.add(header.getKey(), header.getValue() == null ? null : bytes(header.getValue()));
        }
        return headers;
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return bytes;
    }
}
