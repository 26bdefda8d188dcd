package dev.sluice.app.connect;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;

/**
 * Pause and delete with the replication slot in mind. A Debezium PostgreSQL connector that is paused or deleted
 * leaves its slot, and the slot holds back WAL on the database server until it is dropped or PostgreSQL invalidates
 * it at {@code max_slot_wal_keep_size}. So pausing answers with a warning, and deleting answers with the slot's
 * state and either drops it ({@code dropSlot=true}, after Connect stopped the task) or says that it remains. The
 * publication is never dropped: other connectors may share it, and its owner decides.
 */
@Singleton
public class CdcConnectorActions {

    private static final Logger LOG = LoggerFactory.getLogger(CdcConnectorActions.class);
    private static final String APPLICATION_NAME = "sluice-slot-admin";

    private final ConnectorService connectors;
    private final ConnectorDatabase databases;
    private final ReplicationSlots slots;
    private final SecretMasker masker;
    private final SlotConfiguration configuration;

    public CdcConnectorActions(ConnectorService connectors, ConnectorDatabase databases, ReplicationSlots slots,
            SecretMasker masker, SlotConfiguration configuration) {
        this.connectors = connectors;
        this.databases = databases;
        this.slots = slots;
        this.masker = masker;
        this.configuration = configuration;
    }

    /**
     * Pauses the connector.
     *
     * @return for a CDC connector, the warning that its slot holds back WAL while paused
     */
    public Optional<ConnectorPaused> pause(String name) {
        Map<String, String> config = connectors.storedConfig(name);
        connectors.pause(name);
        if (!ConnectorDatabase.isPostgresCdc(config)) {
            return Optional.empty();
        }
        String slot = ReplicationSlots.slotName(config);
        String now = readQuietly(config, slot).flatMap(s -> Optional.ofNullable(s.retainedWalBytes()))
                .map(bytes -> " (" + bytes + " bytes now)").orElse("");
        return Optional.of(new ConnectorPaused(name, List.of("while paused, replication slot '" + slot
                + "' holds back WAL on the database server" + now + " and it grows with every write; beyond "
                + "max_slot_wal_keep_size PostgreSQL invalidates the slot and the connector must snapshot again. "
                + "Watch sluice_cdc_slot_retained_wal_bytes.")));
    }

    /**
     * Deletes the connector; for a CDC connector reads its slot first and, with {@code dropSlot}, drops it.
     *
     * @return for a CDC connector, its slot and what remains
     * @throws ApiException 400 when {@code dropSlot} is asked of another connector; 502 when the slot is to be
     *         dropped but the database cannot be reached (the connector is then not deleted)
     */
    public Optional<ConnectorDeleted> delete(String name, boolean dropSlot) {
        Map<String, String> config = connectors.storedConfig(name);
        if (!ConnectorDatabase.isPostgresCdc(config)) {
            if (dropSlot) {
                throw ApiException.invalidField("dropSlot", "'" + name + "' is no "
                        + ConnectorDatabase.DEBEZIUM_POSTGRES + " connector: it has no replication slot");
            }
            connectors.delete(name);
            return Optional.empty();
        }
        String slot = ReplicationSlots.slotName(config);
        ConnectorDatabase.Target database = databases.target(config, APPLICATION_NAME);
        Optional<SlotState> before;
        String unreadable = null;
        try {
            before = slots.state(database, slot);
        } catch (SQLException e) {
            String reason = masker.scrub(e.getMessage(), database.secrets());
            if (dropSlot) {
                throw new ApiException(HttpStatus.BAD_GATEWAY, "Database unavailable", "cannot reach "
                        + database.url() + " to drop replication slot '" + slot + "', so connector '" + name
                        + "' was not deleted: " + reason);
            }
            before = Optional.empty();
            unreadable = reason;
        }
        connectors.delete(name);

        List<String> warnings = new ArrayList<>();
        boolean dropped = false;
        if (dropSlot && before.isPresent()) {
            String notDropped;
            try {
                ReplicationSlots.SlotDrop drop = slots.drop(database, slot, configuration.getDropWait());
                dropped = drop.dropped();
                notDropped = drop.notDroppedBecause();
            } catch (SQLException e) {
                notDropped = masker.scrub(e.getMessage(), database.secrets());
            }
            if (dropped) {
                LOG.info("replication slot dropped connector={} slot={}", name, slot);
            } else {
                warnings.add("replication slot '" + slot + "' was not dropped (" + notDropped + "); drop it with "
                        + dropStatement(slot));
            }
        } else if (dropSlot) {
            warnings.add("there was no replication slot '" + slot + "' to drop");
        } else if (before.isPresent()) {
            Long bytes = before.get().retainedWalBytes();
            warnings.add("replication slot '" + slot + "' remains and holds back "
                    + (bytes == null ? "" : bytes + " bytes of ") + "WAL on the database server, growing with every "
                    + "write until PostgreSQL invalidates it at max_slot_wal_keep_size; drop it with "
                    + dropStatement(slot) + " (or delete with ?dropSlot=true next time)");
        } else if (unreadable != null) {
            warnings.add("replication slot '" + slot + "' may remain: it could not be read (" + unreadable
                    + "); check pg_replication_slots and drop it with " + dropStatement(slot));
        }
        warnings.add("publication '" + ReplicationSlots.publicationName(config) + "' is left in place; its owner may "
                + "drop it (DROP PUBLICATION) when no connector uses it");
        return Optional.of(new ConnectorDeleted(name, before.orElse(null), dropped, List.copyOf(warnings)));
    }

    private Optional<SlotState> readQuietly(Map<String, String> config, String slot) {
        try {
            return slots.state(databases.target(config, APPLICATION_NAME), slot);
        } catch (SQLException | ApiException e) {
            // The pause itself succeeded; the warning is given without the current size.
            return Optional.empty();
        }
    }

    private static String dropStatement(String slot) {
        return "SELECT pg_drop_replication_slot('" + slot.replace("'", "''") + "') as a role with REPLICATION";
    }
}
