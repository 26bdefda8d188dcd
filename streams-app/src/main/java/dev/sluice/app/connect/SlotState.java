package dev.sluice.app.connect;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * A PostgreSQL logical replication slot, as {@code pg_replication_slots} shows it.
 *
 * @param slot             the slot name
 * @param active           whether a connector is streaming from it now
 * @param walStatus        reserved, extended, unreserved or lost (lost: invalidated, the connector must snapshot
 *                         again)
 * @param retainedWalBytes WAL the slot holds back on the server's disk ({@code pg_current_wal_lsn() - restart_lsn});
 *                         null once the slot is lost
 * @param safeWalBytes     WAL that can still be written before the slot exceeds {@code max_slot_wal_keep_size};
 *                         null when that setting is unbounded
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
@Schema(name = "ReplicationSlot")
public record SlotState(String slot, boolean active, @Nullable String walStatus, @Nullable Long retainedWalBytes,
        @Nullable Long safeWalBytes) {
}
