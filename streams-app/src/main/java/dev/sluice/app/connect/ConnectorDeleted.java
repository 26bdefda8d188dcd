package dev.sluice.app.connect;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * The answer to deleting a Debezium PostgreSQL connector: its replication slot as it was, whether it was dropped,
 * and what remains to be done.
 *
 * @param name        the deleted connector
 * @param slot        its slot before the delete; null when there was none or it could not be read
 * @param slotDropped whether the slot was dropped ({@code dropSlot=true})
 * @param warnings    what remains: the slot and the WAL it holds back, the publication
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ConnectorDeleted(String name, @Nullable SlotState slot, boolean slotDropped, List<String> warnings) {
}
