package dev.sluice.devstack.terminal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Answers of {@code GET /api/status} as streams-app writes them, 30 s apart (src/test/resources/status). */
final class StatusFixtures {

    private StatusFixtures() {
    }

    /**
     * {@code t0}: two connectors and one instance running; {@code t1}: 750 bronze records arrived, 723 silver and
     * 357 gold records written since, 3 + 9 dead letters, a field unknown to the launcher; {@code t2}: the bronze sink's task failed, a
     * second instance joined, both rebalancing; {@code t3} (after t1): lag unknown, the dead-letter monitor
     * recounting, Kafka Connect not answering.
     */
    static PipelineSnapshot snapshot(String name) {
        try (InputStream in = StatusFixtures.class.getResourceAsStream("/status/" + name + ".json")) {
            return PipelineSnapshot.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
