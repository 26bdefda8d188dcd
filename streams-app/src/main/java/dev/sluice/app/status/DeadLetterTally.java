package dev.sluice.app.status;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import dev.sluice.app.dlq.DeadLetterMetadata;
import dev.sluice.app.failure.Stage;

/**
 * The dead letters read so far: counts by reason, the same per source topic (the topic the failing stage read, which
 * for decoding and validation is the dataset's bronze topic), and the metadata of the most recent {@value #RECENT}. Header text is
 * cut and cleaned before it is kept, because the headers come from a topic anyone with access may write. Written by
 * one thread (the reader's), read by any.
 */
final class DeadLetterTally {

    static final int RECENT = 200;
    static final int MAX_HEADER_CHARS = 200;
    /**
     * Source topics counted apart; far more than a deployment's topics. The source header comes from a topic anyone
     * with access may write, so the map is bounded like the reasons: later topics count only in the totals.
     */
    static final int MAX_SOURCES = 1_000;

    private final DeadLetterReasons counts = new DeadLetterReasons();
    private final Map<String, DeadLetterReasons> bySource = new ConcurrentHashMap<>();
    /** Newest first by record time: partitions are read in no time order, a backlog above all. */
    private final TreeSet<Timed> recent = new TreeSet<>(Comparator.comparingLong(Timed::time).reversed()
            .thenComparing(t -> t.letter().topic()).thenComparingInt(t -> t.letter().partition())
            .thenComparingLong(t -> t.letter().offset()));

    private record Timed(long time, RecentDeadLetter letter) {
    }

    void count(ConsumerRecord<byte[], byte[]> record) {
        DeadLetterMetadata headers = DeadLetterMetadata.of(record.headers(), DeadLetterTally::clean);
        String stage = headers.stage() != null ? headers.stage() : record.topic().startsWith(Stage.TOPIC_PREFIX)
                ? record.topic().substring(Stage.TOPIC_PREFIX.length()) : record.topic();
        String code = headers.code() != null ? headers.code() : "UNKNOWN";
        DeadLetterReasons.Reason reason = new DeadLetterReasons.Reason(stage, code, headers.rule());
        counts.increment(reason);
        if (headers.sourceTopic() != null && (bySource.size() < MAX_SOURCES
                || bySource.containsKey(headers.sourceTopic()))) {
            bySource.computeIfAbsent(headers.sourceTopic(), t -> new DeadLetterReasons()).increment(reason);
        }
        RecentDeadLetter letter = new RecentDeadLetter(record.topic(), record.partition(), record.offset(),
                Instant.ofEpochMilli(record.timestamp()).toString(), headers.errorTime(), stage, code, headers.rule(),
                headers.errorClass(), headers.sourceTopic(), headers.sourcePartition(), headers.sourceOffset(),
                headers.appVersion());
        synchronized (recent) {
            recent.add(new Timed(record.timestamp(), letter));
            while (recent.size() > RECENT) {
                recent.pollLast();
            }
        }
    }

    /** The counts so far; {@code caughtUp} says whether they cover the topics up to their end. */
    DeadLetterCounts counts(boolean caughtUp) {
        return counts(counts.snapshot(), caughtUp);
    }

    /** The counts of the dead letters read from {@code sourceTopics} (as their source-topic header names them). */
    DeadLetterCounts countsFrom(Collection<String> sourceTopics, boolean caughtUp) {
        Map<DeadLetterReasons.Reason, Long> merged = new HashMap<>();
        for (String topic : new HashSet<>(sourceTopics)) {
            DeadLetterReasons reasons = bySource.get(topic);
            if (reasons != null) {
                reasons.snapshot().forEach((reason, count) -> merged.merge(reason, count, Long::sum));
            }
        }
        return counts(merged, caughtUp);
    }

    private static DeadLetterCounts counts(Map<DeadLetterReasons.Reason, Long> snapshot, boolean caughtUp) {
        Map<String, Long> byStage = new TreeMap<>();
        Map<String, Long> byCode = new TreeMap<>();
        List<DeadLetterCounts.ReasonCount> reasons = new ArrayList<>();
        long total = 0;
        for (Map.Entry<DeadLetterReasons.Reason, Long> entry : snapshot.entrySet()) {
            long count = entry.getValue();
            DeadLetterReasons.Reason reason = entry.getKey();
            byStage.merge(reason.stage(), count, Long::sum);
            byCode.merge(reason.code(), count, Long::sum);
            reasons.add(new DeadLetterCounts.ReasonCount(reason.stage(), reason.code(), reason.rule(), count));
            total += count;
        }
        reasons.sort(Comparator.comparingLong(DeadLetterCounts.ReasonCount::count).reversed()
                .thenComparing(DeadLetterCounts.ReasonCount::stage).thenComparing(DeadLetterCounts.ReasonCount::code)
                .thenComparing(r -> Objects.toString(r.rule(), "")));
        return new DeadLetterCounts(total, caughtUp, byStage, byCode, reasons);
    }

    /** The most recent dead letters read, newest first. */
    List<RecentDeadLetter> recent(int limit) {
        synchronized (recent) {
            return recent.stream().limit(limit).map(Timed::letter).toList();
        }
    }

    /** Header text as shown: cut and cleaned. */
    private static String clean(String text) {
        String cut = text.length() > MAX_HEADER_CHARS ? text.substring(0, MAX_HEADER_CHARS) : text;
        return cut.replaceAll("[\\p{Cntrl}\\p{Cf}]", "?");
    }
}
