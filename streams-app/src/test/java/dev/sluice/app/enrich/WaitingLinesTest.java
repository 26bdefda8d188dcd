package dev.sluice.app.enrich;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/** The in-memory index of waiting lines: kept in step by add/remove, and rebuilt from the store after a restart. */
class WaitingLinesTest {

    @Test
    void linesAreFoundByTheirOrderUntilRemoved() {
        WaitingLines index = new WaitingLines();
        index.add("200:1");
        index.add("200:2");
        index.add("2001:1");

        assertEquals(List.of("200:1", "200:2"), index.of(200), "another order with the same digits is not a match");
        index.remove("200:1");
        assertEquals(List.of("200:2"), index.of(200));
        index.remove("200:2");
        index.remove("200:2");
        assertEquals(List.of(), index.of(200));
        assertEquals(List.of("2001:1"), index.of(2001));
    }

    @Test
    void theIndexIsRebuiltFromTheStoreAndForgetsWhatTheStoreNoLongerHas() {
        KeyValueStore<String, String> pending = Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore("enrich.pending-lines"), Serdes.String(), Serdes.String())
                .withLoggingDisabled().build();
        pending.init(new MockProcessorContext<>().getStateStoreContext(), pending);
        pending.put("7:1", "waiting");
        pending.put("7:3", "waiting");
        pending.put("8:2", "waiting");
        WaitingLines index = new WaitingLines();
        index.add("9:1");

        index.rebuild(pending);

        assertEquals(List.of("7:1", "7:3"), index.of(7));
        assertEquals(List.of("8:2"), index.of(8));
        assertEquals(List.of(), index.of(9), "what the store does not hold (e.g. after an aborted transaction)");
    }
}
