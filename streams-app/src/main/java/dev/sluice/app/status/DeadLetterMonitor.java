package dev.sluice.app.status;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.sluice.app.dlq.DeadLetterHeaders;
import dev.sluice.app.kafka.PipelineTopics;
import dev.sluice.app.query.StreamsInstance;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;

/**
 * Counts the records of the dead-letter topics by reason (stage, error code, validation rule) and keeps the
 * metadata of the most recent ones, by reading the topics' headers with a read_committed consumer of its own (no
 * group; from the beginning at start). Unlike the per-instance Micrometer counters, which count attempts, this
 * counts what the topics hold: each record once, the same on every instance, across restarts (within the topics'
 * retention). Keys and values are never kept or shown: a dead letter's bytes may hold personal data.
 */
@Requires(property = "kafka.enabled", notEquals = "false")
@Context
@Requires(property = "sluice.status.dead-letters.enabled", notEquals = "false")
public class DeadLetterMonitor {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterMonitor.class);
    private static final int RECENT = 200;
    private static final int MAX_HEADER_CHARS = 200;
    private static final Duration POLL = Duration.ofMillis(500);
    private static final long REASSIGN_MS = 30_000;

    private final StreamsInstance instance;
    private final List<String> topics;
    private final DeadLetterReasons counts = new DeadLetterReasons();
    /** Newest first by record time: partitions are read in no time order, a backlog above all. */
    private final TreeSet<Timed> recent = new TreeSet<>(Comparator.comparingLong(Timed::time).reversed()
            .thenComparing(t -> t.letter().topic()).thenComparingInt(t -> t.letter().partition())
            .thenComparingLong(t -> t.letter().offset()));
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean caughtUp;
    private volatile KafkaConsumer<byte[], byte[]> consumer;

    public DeadLetterMonitor(StreamsInstance instance, PipelineTopics topics) {
        this.instance = instance;
        this.topics = topics.deadLetter();
        this.thread = new Thread(this::run, "sluice-dead-letter-monitor");
        thread.setDaemon(true);
    }

    @PostConstruct
    void start() {
        thread.start();
    }

    private record Timed(long time, RecentDeadLetter letter) {
    }

    /** Why records were dead-lettered. */
    record Reason(String stage, String code, @Nullable String rule) {
    }

    /**
     * Dead-letter records by reason.
     *
     * @param total    records in the dead-letter topics read so far
     * @param caughtUp whether the counts cover the topics up to their end (false while reading a backlog)
     * @param byStage  per stage (the topic {@code dlq.<stage>})
     * @param byCode   per error code
     * @param reasons  per stage, code and validation rule, most first
     */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @Schema(name = "DeadLetterCounts")
    public record Counts(long total, boolean caughtUp, Map<String, Long> byStage, Map<String, Long> byCode,
            List<ReasonCount> reasons) {
    }

    /**
     * A reason and its count.
     *
     * @param stage the stage
     * @param code  the error code
     * @param rule  the broken validation rule; null for other codes
     * @param count records
     */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @Schema(name = "DeadLetterReason")
    public record ReasonCount(String stage, String code, @Nullable String rule, long count) {
    }

    /**
     * The metadata of one dead-letter record (never its key or value).
     *
     * @param topic           dead-letter topic
     * @param partition       its partition
     * @param offset          its offset
     * @param timestamp       the record's timestamp (the original record's), ISO-8601
     * @param errorTime       when it was dead-lettered
     * @param stage           stage that failed
     * @param code            error code
     * @param rule            broken validation rule, if any
     * @param errorClass      class of the exception, if any
     * @param sourceTopic     topic the failing stage read it from
     * @param sourcePartition its partition
     * @param sourceOffset    its offset
     * @param appVersion      version of the app that dead-lettered it
     */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @Schema(name = "DeadLetter")
    public record RecentDeadLetter(String topic, int partition, long offset, String timestamp,
            @Nullable String errorTime, @Nullable String stage, @Nullable String code, @Nullable String rule,
            @Nullable String errorClass, @Nullable String sourceTopic, @Nullable Integer sourcePartition,
            @Nullable Long sourceOffset, @Nullable String appVersion) {
    }

    public Counts counts() {
        Map<String, Long> byStage = new TreeMap<>();
        Map<String, Long> byCode = new TreeMap<>();
        List<ReasonCount> reasons = new ArrayList<>();
        long total = 0;
        for (Map.Entry<Reason, Long> entry : counts.snapshot().entrySet()) {
            long count = entry.getValue();
            Reason reason = entry.getKey();
            byStage.merge(reason.stage(), count, Long::sum);
            byCode.merge(reason.code(), count, Long::sum);
            reasons.add(new ReasonCount(reason.stage(), reason.code(), reason.rule(), count));
            total += count;
        }
        reasons.sort(Comparator.comparingLong(ReasonCount::count).reversed()
                .thenComparing(ReasonCount::stage).thenComparing(ReasonCount::code)
                .thenComparing(r -> Objects.toString(r.rule(), "")));
        return new Counts(total, caughtUp, byStage, byCode, reasons);
    }

    /** The most recent dead letters read, newest first. */
    public List<RecentDeadLetter> recent(int limit) {
        synchronized (recent) {
            return recent.stream().limit(limit).map(Timed::letter).toList();
        }
    }

    @PreDestroy
    void stop() {
        running = false;
        KafkaConsumer<byte[], byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        Map<String, Object> props = instance.clientSettings(ConsumerConfig.configNames());
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, instance.applicationId() + "-dead-letter-monitor");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        try (KafkaConsumer<byte[], byte[]> reader = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer = reader;
            long assignedAt = 0;
            while (running) {
                if (System.currentTimeMillis() - assignedAt > REASSIGN_MS) {
                    assign(reader);
                    assignedAt = System.currentTimeMillis();
                }
                for (ConsumerRecord<byte[], byte[]> record : reader.poll(POLL)) {
                    count(record);
                }
                caughtUp = isCaughtUp(reader);
            }
        } catch (WakeupException | InterruptException e) {
            LOG.debug("dead-letter monitor stopped");
        } catch (RuntimeException e) {
            if (running) {
                LOG.warn("dead-letter monitor stopped: counts are no longer updated", e);
            }
        }
    }

    private void assign(KafkaConsumer<byte[], byte[]> reader) {
        Set<TopicPartition> wanted = new HashSet<>();
        for (String topic : topics) {
            List<PartitionInfo> partitions = reader.partitionsFor(topic, Duration.ofSeconds(5));
            if (partitions != null) {
                partitions.forEach(p -> wanted.add(new TopicPartition(topic, p.partition())));
            }
        }
        if (!wanted.equals(reader.assignment())) {
            Set<TopicPartition> added = new HashSet<>(wanted);
            added.removeAll(reader.assignment());
            reader.assign(wanted);
            reader.seekToBeginning(added);
        }
    }

    private boolean isCaughtUp(KafkaConsumer<byte[], byte[]> reader) {
        Set<TopicPartition> assigned = reader.assignment();
        if (assigned.isEmpty()) {
            return false;
        }
        for (TopicPartition partition : assigned) {
            Long lag = reader.currentLag(partition).isPresent() ? reader.currentLag(partition).getAsLong() : null;
            if (lag == null || lag > 0) {
                return false;
            }
        }
        return true;
    }

    void count(ConsumerRecord<byte[], byte[]> record) {
        Map<String, String> headers = new HashMap<>();
        for (Header header : record.headers()) {
            if (header.key().startsWith("sluice.") && header.value() != null) {
                headers.put(header.key(), clean(new String(header.value(), StandardCharsets.UTF_8)));
            }
        }
        String stage = headers.getOrDefault(DeadLetterHeaders.STAGE, record.topic().startsWith("dlq.")
                ? record.topic().substring(4) : record.topic());
        String code = headers.getOrDefault(DeadLetterHeaders.ERROR_CODE, "UNKNOWN");
        counts.increment(new Reason(stage, code, headers.get(DeadLetterHeaders.ERROR_RULE)));
        RecentDeadLetter letter = new RecentDeadLetter(record.topic(), record.partition(), record.offset(),
                Instant.ofEpochMilli(record.timestamp()).toString(), headers.get(DeadLetterHeaders.TIME), stage, code,
                headers.get(DeadLetterHeaders.ERROR_RULE), headers.get(DeadLetterHeaders.ERROR_CLASS),
                headers.get(DeadLetterHeaders.SOURCE_TOPIC), number(headers.get(DeadLetterHeaders.SOURCE_PARTITION),
                        Integer::valueOf), number(headers.get(DeadLetterHeaders.SOURCE_OFFSET), Long::valueOf),
                headers.get(DeadLetterHeaders.APP_VERSION));
        synchronized (recent) {
            recent.add(new Timed(record.timestamp(), letter));
            while (recent.size() > RECENT) {
                recent.pollLast();
            }
        }
    }

    @Nullable
    private static <N> N number(@Nullable String text, Function<String, N> parse) {
        try {
            return text == null ? null : parse.apply(text.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Header text as shown: the headers come from a topic anyone with access may write, so cut and cleaned. */
    private static String clean(String text) {
        String cut = text.length() > MAX_HEADER_CHARS ? text.substring(0, MAX_HEADER_CHARS) : text;
        return cut.replaceAll("[\\p{Cntrl}\\p{Cf}]", "?");
    }
}
