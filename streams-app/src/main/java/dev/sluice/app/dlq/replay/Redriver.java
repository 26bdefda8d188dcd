package dev.sluice.app.dlq.replay;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sluice.app.dlq.DeadLetterHeaders;
import dev.sluice.app.dlq.browse.DeadLetterBrowser;
import dev.sluice.app.dlq.browse.DeadLetterCoordinates;
import dev.sluice.app.dlq.browse.DeadLetterFilter;
import dev.sluice.app.dlq.browse.DeadLetterSummary;
import dev.sluice.app.dlq.browse.TopicReader;
import dev.sluice.app.kafka.PipelineTopics;
import dev.sluice.app.query.StreamsAdmin;
import dev.sluice.app.query.StreamsInstance;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

/**
 * Redrives dead letters: re-produces each one's original key, value, timestamp and headers into its source topic
 * and partition, with {@value DeadLetterHeaders#REPLAY_ID} (the run) and {@value DeadLetterHeaders#REPLAY_OF} (the
 * dead letter), so that the topology processes it like a new record.
 *
 * <p>Exactly once in effect, decided here rather than left to dedupe alone: dedupe forgets after its window and not
 * every entity deduplicates, while a redrive must be a no-op for a dead letter redriven months ago. So each redriven
 * dead letter is recorded in the {@link ReplayLedger}, in the same Kafka transaction as its re-produced record:
 * either both are written or neither. The transactional id is the same for every run of the application, on every
 * instance: {@code initTransactions} fences any other run still open and waits for its transaction to finish, so
 * the ledger read just after it (read_committed) holds every dead letter redriven so far, and a second redrive of
 * the same dead letter finds it there and skips it. Runs on one instance are serialised. Dedupe's own check of
 * {@value DeadLetterHeaders#REPLAY_OF} is the backstop should the ledger be lost.
 */
@Requires(property = "kafka.enabled", notEquals = "false")
@Singleton
public class Redriver {

    private static final Logger LOG = LoggerFactory.getLogger(Redriver.class);
    static final int MAX_SELECTED = 10_000;
    static final String ALREADY = "already redriven";
    static final String NOT_FOUND = "no such dead letter";

    private final DeadLetterBrowser browser;
    private final StreamsInstance instance;
    private final StreamsAdmin admin;
    private final PipelineTopics topics;
    private final Clock clock;
    private final ReplayLedger ledger;

    public Redriver(DeadLetterBrowser browser, StreamsInstance instance, StreamsAdmin admin,
            PipelineTopics topics, Clock clock) {
        this.browser = browser;
        this.instance = instance;
        this.admin = admin;
        this.topics = topics;
        this.clock = clock;
        this.ledger = new ReplayLedger(topics.getReplays());
    }

    /** The topics whose new records say how a redrive went: silver, and the dead-letter topics. */
    List<String> watched() {
        List<String> watched = new ArrayList<>(topics.silverCompacted());
        watched.addAll(topics.silverLogs());
        watched.addAll(topics.deadLetter());
        return watched;
    }

    ReplayLedger ledger() {
        return ledger;
    }

    /** Selects the dead letters of {@code request} and redrives them (or counts them, dry). */
    public synchronized ReplayRun run(ReplayRequest request) {
        List<ConsumerRecord<byte[], byte[]>> selected = new ArrayList<>();
        Map<String, Integer> reasons = new TreeMap<>();
        select(request, selected, reasons);
        String startedAt = clock.instant().toString();
        if (request.dryRun()) {
            try (TopicReader reader = browser.reader("redrive")) {
                Plan plan = plan(selected, ledger.read(reader).replayed(), reasons);
                return new ReplayRun(null, startedAt, true, selected.size() + missing(reasons),
                        plan.records().size(), plan.already(), plan.notReplayable(), reasons);
            }
        }
        ledger.ensureTopic(admin.admin());
        String id = UUID.randomUUID().toString();
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            producer.initTransactions();
            Plan plan;
            Map<TopicPartition, Long> marks;
            try (TopicReader reader = browser.reader("redrive")) {
                plan = plan(selected, ledger.read(reader).replayed(), reasons);
                marks = reader.ends(reader.partitions(watched()));
            }
            ReplayRun run = new ReplayRun(id, startedAt, false, selected.size() + missing(reasons),
                    plan.records().size(), plan.already(), plan.notReplayable(), reasons);
            try {
                producer.beginTransaction();
                for (ConsumerRecord<byte[], byte[]> letter : plan.records()) {
                    producer.send(redriven(letter, id));
                    producer.send(ledger.replayed(coordinates(letter), id));
                }
                producer.send(ledger.run(new ReplayLedger.StoredRun(run, marks)));
                producer.commitTransaction();
            } catch (ProducerFencedException e) {
                throw new IllegalStateException("another redrive started meanwhile and took over: run it again", e);
            } catch (KafkaException e) {
                producer.abortTransaction();
                throw new IllegalStateException("the redrive was not written, nothing changed: " + e.getMessage(), e);
            }
            LOG.info("redrive id={} selected={} replayed={} alreadyReplayed={} notReplayable={}", id, run.selected(),
                    run.replayed(), run.alreadyReplayed(), run.notReplayable());
            return run;
        }
    }

    private void select(ReplayRequest request, List<ConsumerRecord<byte[], byte[]>> selected,
            Map<String, Integer> reasons) {
        int limit = request.limit() == null ? MAX_SELECTED : Math.max(1, Math.min(request.limit(), MAX_SELECTED));
        if (request.coordinates() != null && !request.coordinates().isEmpty()) {
            List<DeadLetterCoordinates> wanted = request.coordinates().stream().map(DeadLetterCoordinates::parse)
                    .distinct().limit(limit).toList();
            Map<DeadLetterCoordinates, ConsumerRecord<byte[], byte[]>> found = browser.find(wanted);
            selected.addAll(found.values());
            if (found.size() < wanted.size()) {
                reasons.put(NOT_FOUND, wanted.size() - found.size());
            }
            return;
        }
        DeadLetterFilter filter = DeadLetterFilter.of(request.stage(), request.code(), request.rule(),
                request.source(), request.from(), request.to());
        selected.addAll(browser.select(filter, limit));
    }

    /** The dead letters to re-produce: redrivable and not redriven yet; counts the others in {@code reasons}. */
    private Plan plan(List<ConsumerRecord<byte[], byte[]>> selected, Map<String, String> replayed,
            Map<String, Integer> reasons) {
        List<String> bronze = topics.bronze();
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        int already = 0;
        int notReplayable = missing(reasons);
        for (ConsumerRecord<byte[], byte[]> letter : selected) {
            String why = Redrivable.whyNot(DeadLetterSummary.of(letter), bronze);
            if (why != null) {
                reasons.merge(why, 1, Integer::sum);
                notReplayable++;
            } else if (replayed.containsKey(coordinates(letter).toString())) {
                already++;
            } else {
                records.add(letter);
            }
        }
        return new Plan(records, already, notReplayable);
    }

    private record Plan(List<ConsumerRecord<byte[], byte[]>> records, int already, int notReplayable) {
    }

    private static int missing(Map<String, Integer> reasons) {
        return reasons.getOrDefault(NOT_FOUND, 0);
    }

    /** The original record again: its key, value, timestamp and own headers, into its source topic and partition. */
    static ProducerRecord<byte[], byte[]> redriven(ConsumerRecord<byte[], byte[]> letter, String runId) {
        DeadLetterSummary summary = DeadLetterSummary.of(letter);
        RecordHeaders headers = new RecordHeaders();
        for (Header header : letter.headers()) {
            if (!DeadLetterHeaders.ADDED.contains(header.key())) {
                headers.add(header.key(), header.value());
            }
        }
        headers.add(DeadLetterHeaders.REPLAY_ID, runId.getBytes(StandardCharsets.UTF_8));
        headers.add(DeadLetterHeaders.REPLAY_OF, coordinates(letter).toString().getBytes(StandardCharsets.UTF_8));
        return new ProducerRecord<>(summary.sourceTopic(), summary.sourcePartition(),
                letter.timestamp() < 0 ? null : letter.timestamp(), letter.key(), letter.value(), headers);
    }

    private static DeadLetterCoordinates coordinates(ConsumerRecord<byte[], byte[]> letter) {
        return new DeadLetterCoordinates(letter.topic(), letter.partition(), letter.offset());
    }

    private KafkaProducer<byte[], byte[]> producer() {
        Map<String, Object> props = new HashMap<>(instance.clientSettings(ProducerConfig.configNames()));
        props.put(ProducerConfig.CLIENT_ID_CONFIG, instance.applicationId() + "-redrive");
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, instance.applicationId() + "-redrive");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }
}
