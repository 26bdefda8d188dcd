package dev.sluice.app.dlq.replay;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.apache.kafka.common.TopicPartition;

import dev.sluice.app.dlq.DeadLetterHeaders;
import dev.sluice.app.dlq.browse.DeadLetterBrowser;
import dev.sluice.app.dlq.browse.DeadLetterCoordinates;
import dev.sluice.app.dlq.browse.TopicReader;
import dev.sluice.app.kafka.PipelineTopics;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

/**
 * How a redrive went, found in the records written since it ran: the topology carries a record's headers through
 * its stages (silver stamps its lineage next to them; a dead letter keeps them), so every silver record and dead
 * letter that came of a redriven record carries the run's {@value DeadLetterHeaders#REPLAY_ID}. Only the records
 * after the end offsets recorded with the run are read.
 */
@Requires(property = "kafka.enabled", notEquals = "false")
@Singleton
public class ReplayOutcomes {

    private static final int MAX_LISTED = 100;

    private final DeadLetterBrowser browser;
    private final Redriver redriver;
    private final List<String> deadLetterTopics;

    public ReplayOutcomes(DeadLetterBrowser browser, Redriver redriver, PipelineTopics topics) {
        this.browser = browser;
        this.redriver = redriver;
        this.deadLetterTopics = topics.deadLetter();
    }

    /** The progress of run {@code id}; empty when the ledger has no such run. */
    public Optional<ReplayProgress> progress(String id) {
        try (TopicReader reader = browser.reader("redrive-progress")) {
            ReplayLedger.StoredRun stored = redriver.ledger().read(reader).runs().get(id);
            if (stored == null) {
                return Optional.empty();
            }
            Set<String> inSilver = new HashSet<>();
            Set<String> again = new HashSet<>();
            List<String> againAt = new ArrayList<>();
            List<TopicPartition> partitions = reader.partitions(redriver.watched());
            Map<TopicPartition, Long> ends = reader.ends(partitions);
            for (TopicPartition partition : partitions) {
                boolean deadLetters = deadLetterTopics.contains(partition.topic());
                reader.scan(partition, stored.marks().getOrDefault(partition, 0L), ends.get(partition), record -> {
                    if (id.equals(DeadLetterHeaders.text(record.headers(), DeadLetterHeaders.REPLAY_ID))) {
                        String of = DeadLetterHeaders.text(record.headers(), DeadLetterHeaders.REPLAY_OF);
                        if (!deadLetters) {
                            inSilver.add(of);
                        } else if (again.add(of) && againAt.size() < MAX_LISTED) {
                            againAt.add(new DeadLetterCoordinates(record.topic(), record.partition(),
                                    record.offset()).toString());
                        }
                    }
                    return true;
                });
            }
            int replayed = stored.run().replayed();
            int pending = Math.max(0, replayed - inSilver.size() - again.size());
            return Optional.of(new ReplayProgress(stored.run(), inSilver.size(), again.size(), pending, againAt));
        }
    }
}
