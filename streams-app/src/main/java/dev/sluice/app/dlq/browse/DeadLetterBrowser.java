package dev.sluice.app.dlq.browse;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;

import dev.sluice.app.dlq.DeadLetterHeaders;
import dev.sluice.app.kafka.PipelineTopics;
import dev.sluice.app.query.StreamsInstance;
import dev.sluice.app.serde.RegistrySerdes;
import dev.sluice.app.serde.RegistrySettings;
import dev.sluice.app.silver.PiiPolicy;
import dev.sluice.app.silver.PiiSettings;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

/**
 * Finds dead letters in the dead-letter topics ({@code dlq.<stage>}) by their headers, in topic, partition and
 * offset order, and shows one with its content decoded. Reads the topics on each call (no index to keep consistent):
 * dead-letter topics are small, and a stage filter reads only that stage's topic.
 */
@Requires(property = "kafka.enabled", notEquals = "false")
@Singleton
public class DeadLetterBrowser {

    /** How long one call may read before it gives up. */
    static final Duration BUDGET = Duration.ofSeconds(30);

    private final StreamsInstance instance;
    private final List<String> deadLetterTopics;
    private final PayloadDecoder decoder;

    public DeadLetterBrowser(StreamsInstance instance, PipelineTopics topics, RegistrySettings registry,
            PiiSettings pii) {
        this.instance = instance;
        this.deadLetterTopics = topics.deadLetter();
        this.decoder = new PayloadDecoder(new RegistrySerdes(registry), new PiiPolicy(pii));
    }

    /** A reader of this app's topics, for one request. */
    public TopicReader reader(String purpose) {
        return new TopicReader(instance.clientSettings(ConsumerConfig.configNames()),
                instance.applicationId() + "-" + purpose, BUDGET);
    }

    /** Whether {@code topic} is one of the dead-letter topics (nothing else is read here: bronze holds raw data). */
    public boolean isDeadLetterTopic(String topic) {
        return deadLetterTopics.contains(topic);
    }

    /** Up to {@code limit} dead letters matching {@code filter} after {@code cursor} (null: from the start). */
    public DeadLetterPage page(DeadLetterFilter filter, DeadLetterCoordinates cursor, int limit) {
        List<DeadLetterSummary> items = new ArrayList<>();
        boolean complete = visit(filter, cursor, record -> {
            DeadLetterSummary letter = DeadLetterSummary.of(record);
            if (filter.matches(letter)) {
                items.add(letter);
            }
            return items.size() < limit;
        });
        String next = complete || items.isEmpty() ? null : items.get(items.size() - 1).coordinates();
        return new DeadLetterPage(items, next);
    }

    /** Up to {@code limit} dead-letter records matching {@code filter}, whole (for a redrive). */
    public List<ConsumerRecord<byte[], byte[]>> select(DeadLetterFilter filter, int limit) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        visit(filter, null, record -> {
            if (filter.matches(DeadLetterSummary.of(record))) {
                records.add(record);
            }
            return records.size() < limit;
        });
        return records;
    }

    /** The dead-letter record at {@code at}, if {@code at} is in a dead-letter topic and still there. */
    public Optional<ConsumerRecord<byte[], byte[]>> find(DeadLetterCoordinates at) {
        return Optional.ofNullable(find(List.of(at)).get(at));
    }

    /** The dead-letter records at {@code wanted} that are in a dead-letter topic and still there, with one reader. */
    public Map<DeadLetterCoordinates, ConsumerRecord<byte[], byte[]>> find(Collection<DeadLetterCoordinates> wanted) {
        Map<DeadLetterCoordinates, ConsumerRecord<byte[], byte[]>> found = new LinkedHashMap<>();
        try (TopicReader reader = reader("dead-letter-browser")) {
            for (DeadLetterCoordinates at : wanted) {
                if (isDeadLetterTopic(at.topic())) {
                    reader.read(new TopicPartition(at.topic(), at.partition()), at.offset())
                            .ifPresent(record -> found.put(at, record));
                }
            }
        }
        return found;
    }

    /** The dead letter at {@code at}, its content only when {@code withContent}. */
    public Optional<DeadLetterDetail> detail(DeadLetterCoordinates at, boolean withContent) {
        return find(at).map(record -> {
            DeadLetterSummary letter = DeadLetterSummary.of(record);
            if (!withContent) {
                return new DeadLetterDetail(letter, false, null, null, null, null);
            }
            String source = letter.sourceTopic() == null ? record.topic() : letter.sourceTopic();
            return new DeadLetterDetail(letter, true,
                    DeadLetterHeaders.text(record.headers(), DeadLetterHeaders.ERROR_MESSAGE),
                    originalHeaders(record), decoder.key(source, record.headers(), record.key()),
                    decoder.value(source, record.headers(), record.value()));
        });
    }

    /**
     * Reads the dead-letter topics the filter is about, after {@code cursor}, until {@code visitor} says stop.
     *
     * @return whether every record was read
     */
    private boolean visit(DeadLetterFilter filter, DeadLetterCoordinates cursor,
            Predicate<ConsumerRecord<byte[], byte[]>> visitor) {
        try (TopicReader reader = reader("dead-letter-browser")) {
            List<TopicPartition> partitions = reader.partitions(filter.topics(deadLetterTopics));
            Map<TopicPartition, Long> ends = reader.ends(partitions);
            for (TopicPartition partition : partitions) {
                long from = 0;
                if (cursor != null) {
                    int order = partition.topic().compareTo(cursor.topic()) != 0
                            ? partition.topic().compareTo(cursor.topic())
                            : Integer.compare(partition.partition(), cursor.partition());
                    if (order < 0) {
                        continue;
                    }
                    from = order == 0 ? cursor.offset() + 1 : 0;
                }
                if (!reader.scan(partition, from, ends.get(partition), visitor)) {
                    return false;
                }
            }
            return true;
        }
    }

    /** The record's own headers, without those the dead letter added. */
    private static Map<String, String> originalHeaders(ConsumerRecord<byte[], byte[]> record) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header header : record.headers()) {
            if (!DeadLetterHeaders.ADDED.contains(header.key()) || isReplayHeader(header.key())) {
                headers.put(header.key(), text(header.value()));
            }
        }
        return headers;
    }

    private static boolean isReplayHeader(String key) {
        return key.equals(DeadLetterHeaders.REPLAY_ID) || key.equals(DeadLetterHeaders.REPLAY_OF);
    }

    private static String text(byte[] value) {
        if (value == null) {
            return null;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(value)).toString();
        } catch (CharacterCodingException e) {
            return "base64:" + Base64.getEncoder().encodeToString(value);
        }
    }
}
