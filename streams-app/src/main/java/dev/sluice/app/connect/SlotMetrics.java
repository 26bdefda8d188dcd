package dev.sluice.app.connect;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import dev.sluice.connect.admin.ConnectRestClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.TaskScheduler;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Named;

/**
 * The replication slots of the Debezium PostgreSQL connectors as metrics, read every
 * {@code sluice.connect.slots.poll-interval} (a scrape shows the last poll):
 * <ul>
 * <li>{@code sluice_cdc_slot_retained_wal_bytes{connector,slot}}: WAL the slot holds back on the database server;</li>
 * <li>{@code sluice_cdc_slot_safe_wal_bytes{connector,slot}}: WAL that may still be written before the slot exceeds
 * {@code max_slot_wal_keep_size} (absent when that is unbounded);</li>
 * <li>{@code sluice_cdc_slot_wal_status{connector,slot,status}}: 1 for the slot's {@code wal_status} (reserved,
 * extended, unreserved, lost - lost: invalidated, the connector must snapshot again);</li>
 * <li>{@code sluice_cdc_slot_active{connector,slot}}: 1 while a task streams from it.</li>
 * </ul>
 * A connector whose database cannot be read has no rows until it can (logged once when it starts failing).
 */
@Context
@Requires(property = "sluice.connect.slots.metrics-enabled", notEquals = "false")
@Requires(bean = MeterRegistry.class)
public class SlotMetrics {

    private static final Logger LOG = LoggerFactory.getLogger(SlotMetrics.class);
    private static final String APPLICATION_NAME = "sluice-slot-metrics";

    private final ConnectRestClient connect;
    private final ConnectorDatabase databases;
    private final ReplicationSlots slots;
    private final SecretMasker masker;
    private final MultiGauge retained;
    private final MultiGauge safe;
    private final MultiGauge status;
    private final MultiGauge active;
    private final Set<String> failing = new HashSet<>();
    private final ScheduledFuture<?> scheduled;
    private boolean connectFailing;

    public SlotMetrics(ConnectRestClient connect, ConnectorDatabase databases, ReplicationSlots slots,
            SecretMasker masker, MeterRegistry registry, SlotConfiguration configuration,
            @Named(TaskExecutors.SCHEDULED) TaskScheduler scheduler) {
        this.connect = connect;
        this.databases = databases;
        this.slots = slots;
        this.masker = masker;
        this.retained = MultiGauge.builder("sluice.cdc.slot.retained.wal").baseUnit("bytes")
                .description("WAL a CDC connector's replication slot holds back on the database server")
                .register(registry);
        this.safe = MultiGauge.builder("sluice.cdc.slot.safe.wal").baseUnit("bytes")
                .description("WAL that may be written before the slot exceeds max_slot_wal_keep_size")
                .register(registry);
        this.status = MultiGauge.builder("sluice.cdc.slot.wal.status")
                .description("1 for the slot's wal_status; lost means invalidated, the connector must snapshot again")
                .register(registry);
        this.active = MultiGauge.builder("sluice.cdc.slot.active")
                .description("1 while a connector task streams from the slot").register(registry);
        this.scheduled = scheduler.scheduleWithFixedDelay(configuration.getPollInterval(),
                configuration.getPollInterval(), this::poll);
    }

    /** Reads every CDC connector's slot and replaces the metrics' rows. */
    synchronized void poll() {
        JsonNode all;
        try {
            all = connect.connectorsExpanded();
            if (connectFailing) {
                LOG.info("slot metrics: Kafka Connect answers again");
            }
            connectFailing = false;
        } catch (RuntimeException e) {
            if (!connectFailing) {
                LOG.warn("slot metrics: cannot list the connectors: {}", e.getMessage());
            }
            connectFailing = true;
            return;
        }
        List<MultiGauge.Row<?>> retainedRows = new ArrayList<>();
        List<MultiGauge.Row<?>> safeRows = new ArrayList<>();
        List<MultiGauge.Row<?>> statusRows = new ArrayList<>();
        List<MultiGauge.Row<?>> activeRows = new ArrayList<>();
        Set<String> nowFailing = new HashSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = all.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> entry = it.next();
            String name = entry.getKey();
            Map<String, String> config = ConnectorViews.config(entry.getValue().path("info").path("config"));
            if (!ConnectorDatabase.isPostgresCdc(config)) {
                continue;
            }
            String slot = ReplicationSlots.slotName(config);
            Optional<SlotState> state = read(name, config, slot, nowFailing);
            if (state.isEmpty()) {
                continue;
            }
            Tags tags = Tags.of("connector", name, "slot", slot);
            SlotState s = state.get();
            if (s.retainedWalBytes() != null) {
                retainedRows.add(MultiGauge.Row.of(tags, s.retainedWalBytes()));
            }
            if (s.safeWalBytes() != null) {
                safeRows.add(MultiGauge.Row.of(tags, s.safeWalBytes()));
            }
            if (s.walStatus() != null) {
                statusRows.add(MultiGauge.Row.of(tags.and("status", s.walStatus()), 1));
            }
            activeRows.add(MultiGauge.Row.of(tags, s.active() ? 1 : 0));
        }
        failing.retainAll(nowFailing);
        retained.register(retainedRows, true);
        safe.register(safeRows, true);
        status.register(statusRows, true);
        active.register(activeRows, true);
    }

    private Optional<SlotState> read(String name, Map<String, String> config, String slot, Set<String> nowFailing) {
        ConnectorDatabase.Target database = null;
        try {
            database = databases.target(config, APPLICATION_NAME);
            Optional<SlotState> state = slots.state(database, slot);
            if (failing.remove(name)) {
                LOG.info("slot metrics: connector={} slot={} readable again", name, slot);
            }
            return state;
        } catch (SQLException | ApiException e) {
            nowFailing.add(name);
            if (failing.add(name)) {
                String reason = database == null ? e.getMessage() : masker.scrub(e.getMessage(), database.secrets());
                LOG.warn("slot metrics: cannot read connector={} slot={}: {}", name, slot, reason);
            }
            return Optional.empty();
        }
    }

    @PreDestroy
    void cancel() {
        scheduled.cancel(false);
    }
}
