package dev.sluice.app.connect;

import java.util.List;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * An incremental snapshot to trigger.
 *
 * @param tables the tables, as {@code schema.table}, each captured by the connector
 */
@Serdeable
public record SnapshotRequest(@Nullable List<String> tables) {
}
