package dev.sluice.app.enrich;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

import dev.sluice.app.failure.Stage;
import dev.sluice.app.metrics.PipelineMetrics;
import dev.sluice.app.stores.StoreNames;
import dev.sluice.app.tracing.Tracing;
import dev.sluice.schemas.internal.Order;
import dev.sluice.schemas.internal.OrderEvent;
import dev.sluice.schemas.internal.OrderItem;
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
 *
 * <p>This class decides when to attempt and what to emit; the waiting queues are {@link PendingQueue}s, the joins
 * {@link OrderJoin} and {@link LineJoin}.
 */
public final class OrderEnricher implements Processor<String, OrderEvent, String, EnrichedOutput> {

    private static final String ORDERS = "orders";
    private static final String LINES = "order_items";

    private final CurrencyConverter converter;
    private final Duration wait;
    private final Duration retryInterval;
    private final PipelineMetrics metrics;
    private final Tracing tracing;
    private ProcessorContext<String, EnrichedOutput> context;
    private TimestampedKeyValueStore<String, Order> orders;
    private PendingQueue pendingOrders;
    private PendingQueue pendingLines;
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
        this.pendingOrders = new PendingQueue(context.getStateStore(StoreNames.PENDING_ORDERS));
        this.pendingLines = new PendingQueue(context.getStateStore(StoreNames.PENDING_LINES));
        waitingLines.rebuild(context.getStateStore(StoreNames.PENDING_LINES));
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

    private void submit(PendingQueue pending, String key, OrderEvent event, Record<String, OrderEvent> record,
            long now) {
        if (!pending.hasWaiting(key)) {
            Optional<Record<String, EnrichedOutput>> out = attempt(event, record.timestamp(), record.headers(), false);
            if (out.isPresent()) {
                context.forward(traced(out.get(), event));
                return;
            }
        }
        pending.append(key, event, record.timestamp(), record.headers(), now);
        if (pending == pendingLines) {
            waitingLines.add(key);
        }
        nextExpiryMs = Math.min(nextExpiryMs, now + wait.toMillis());
        metrics.out(Stage.ENRICH, event.getLineNo() == null ? ORDERS : LINES, "waiting");
        drain(pending, key, now);
    }

    /**
     * Emits what can be emitted of {@code key}'s waiting events, in order.
     *
     * @return when the first event still waiting first waited; empty when none waits
     */
    private OptionalLong drain(PendingQueue pending, String key, long now) {
        OptionalLong head = pending.drain(key, waiting -> {
            boolean expired = now - waiting.firstSeenMs() >= wait.toMillis();
            Optional<Record<String, EnrichedOutput>> out = attempt(waiting.event(), waiting.timestamp(),
                    waiting.headers(), expired);
            out.ifPresent(record -> context.forward(traced(record, waiting.event())));
            return out.isPresent();
        });
        if (head.isEmpty() && pending == pendingLines) {
            waitingLines.remove(key);
        }
        return head;
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
        for (PendingQueue pending : List.of(pendingOrders, pendingLines)) {
            for (String key : pending.keys()) {
                OptionalLong head = drain(pending, key, now);
                if (head.isPresent()) {
                    nextExpiry = Math.min(nextExpiry, head.getAsLong() + wait.toMillis());
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
            return Optional.of(new Record<>(key, new EnrichedOutput.Order(null), timestamp, headers));
        }
        Order order = event.getOrder();
        Customer customer = lookups.customer(order.getCustomerId());
        BigDecimal rate = lookups.rate(order.getCurrency());
        if (OrderJoin.waits(order, customer, rate, expired)) {
            return Optional.empty();
        }
        EnrichedOrder enriched = OrderJoin.join(order, customer, rate, converter.reportingCurrency());
        metrics.out(Stage.ENRICH, ORDERS, enriched.getFlags().isEmpty() ? "enriched" : "flagged");
        return Optional.of(new Record<>(key, new EnrichedOutput.Order(enriched), timestamp, headers));
    }

    private Optional<Record<String, EnrichedOutput>> attemptLine(OrderEvent event, long timestamp, Headers headers,
            boolean expired) {
        String key = lineKey(event.getOrderId(), event.getLineNo());
        if (event.getTombstone()) {
            metrics.out(Stage.ENRICH, LINES, "tombstone");
            return Optional.of(new Record<>(key, new EnrichedOutput.Line(null), timestamp, headers));
        }
        OrderItem item = event.getItem();
        Order order = ValueAndTimestamp.getValueOrNull(orders.get(Long.toString(item.getOrderId())));
        Product product = lookups.product(item.getProductId());
        BigDecimal rate = order == null ? null : lookups.rate(order.getCurrency());
        if (LineJoin.waits(item, order, product, rate, expired)) {
            return Optional.empty();
        }
        EnrichedOrderLine line = LineJoin.join(item, order, product, rate, converter.reportingCurrency());
        metrics.out(Stage.ENRICH, LINES, line.getFlags().isEmpty() ? "enriched" : "flagged");
        return Optional.of(new Record<>(key, new EnrichedOutput.Line(line), timestamp, headers));
    }
}
