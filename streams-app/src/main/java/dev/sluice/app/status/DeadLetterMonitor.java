package dev.sluice.app.status;

import java.time.Clock;
import java.util.Collection;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerConfig;

import dev.sluice.app.kafka.PipelineTopics;
import dev.sluice.app.query.StreamsInstance;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;

/**
 * Counts the records of the dead-letter topics by reason (stage, error code, validation rule) and keeps the
 * metadata of the most recent ones: a {@link DeadLetterReader} of its own (no group; from the beginning at start)
 * feeds a {@link DeadLetterTally}. Unlike the per-instance Micrometer counters, which count attempts, this counts
 * what the topics hold: each record once, the same on every instance, across restarts (within the topics'
 * retention). Keys and values are never kept or shown: a dead letter's bytes may hold personal data.
 */
@Requires(property = "kafka.enabled", notEquals = "false")
@Context
@Requires(property = "sluice.status.dead-letters.enabled", notEquals = "false")
public class DeadLetterMonitor {

    private final DeadLetterTally tally = new DeadLetterTally();
    private final DeadLetterReader reader;

    public DeadLetterMonitor(StreamsInstance instance, PipelineTopics topics, Clock clock) {
        this.reader = new DeadLetterReader(instance.clientSettings(ConsumerConfig.configNames()),
                instance.applicationId() + "-dead-letter-monitor", topics.deadLetter(), clock, tally::count);
    }

    @PostConstruct
    void start() {
        reader.start();
    }

    public DeadLetterCounts counts() {
        return tally.counts(reader.caughtUp());
    }

    /** The counts of the dead letters that failing stages read from {@code sourceTopics}. */
    public DeadLetterCounts countsFrom(Collection<String> sourceTopics) {
        return tally.countsFrom(sourceTopics, reader.caughtUp());
    }

    /** The most recent dead letters read, newest first. */
    public List<RecentDeadLetter> recent(int limit) {
        return tally.recent(limit);
    }

    @PreDestroy
    void stop() {
        reader.stop();
    }
}
