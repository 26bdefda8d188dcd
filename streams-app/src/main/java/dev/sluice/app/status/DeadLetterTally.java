package dev.sluice.app.status;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import dev.sluice.app.dlq.DeadLetterMetadata;
import dev.sluice.app.failure.Stage;

/**
 * The dead letters read so far: counts by reason and the metadata of the most recent {@value #RECENT}. Header text is
 * cut and cleaned before it is kept, because the headers come from a topic anyone with access may write. Written by
 * one thread (the reader's), read by any.
 */
final class DeadLetterTally {

    static final int RECENT = 200;
    static final int MAX_HEADER_CHARS = 200;

    private final DeadLetterReasons counts = new DeadLetterReasons();
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
        counts.increment(new DeadLetterReasons.Reason(stage, code, headers.rule()));
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
        Map<String, Long> byStage = new TreeMap<>();
        Map<String, Long> byCode = new TreeMap<>();
        List<DeadLetterCounts.ReasonCount> reasons = new ArrayList<>();
        long total = 0;
        for (Map.Entry<DeadLetterReasons.Reason, Long> entry : counts.snapshot().entrySet()) {
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
