package dev.sluice.app.dlq.replay;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

import dev.sluice.app.dlq.browse.DeadLetterCoordinates;
import dev.sluice.app.dlq.browse.TopicReader;

/**
 * The redrive ledger, a compacted topic ({@code sluice.topics.replays}, default {@code sluice.replays}) with one
 * record per redriven dead letter ({@code replayed:<coordinates>} -> run id) and one per run ({@code run:<id>} -> what
 * it did, and where the topics it watches ended when it ran). It is written in the same Kafka transaction as the
 * redriven records, so a dead letter is in the ledger exactly when it was redriven; that is what makes a second redrive
 * of it a no-op. A topic rather than a store: it must survive the app's state, be shared by every instance, and
 * be read with read_committed after the redrive's producer has fenced any other (see {@link Redriver}).
 */
final class ReplayLedger {

    private static final String REPLAYED = "replayed:";
    private static final String RUN = "run:";
    private static final String MARK = "mark.";

    private final String topic;

    ReplayLedger(String topic) {
        this.topic = topic;
    }

    /** A run as recorded: what it did, and the end offsets of the watched topics just before it produced. */
    record StoredRun(ReplayRun run, Map<TopicPartition, Long> marks) {
    }

    /** The ledger's content. */
    record State(Map<String, String> replayed, Map<String, StoredRun> runs) {
    }

    /** Creates the topic if it is missing: compacted, one partition (it is small, and read whole). */
    void ensureTopic(Admin admin) {
        NewTopic wanted = new NewTopic(topic, 1, (short) -1).configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG,
                TopicConfig.CLEANUP_POLICY_COMPACT));
        try {
            admin.createTopics(List.of(wanted)).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create the redrive ledger topic " + topic, e.getCause());
            }
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka did not create the redrive ledger topic " + topic + " in 30 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating " + topic, e);
        }
    }

    /** Everything committed to the ledger (an absent topic is an empty ledger). */
    State read(TopicReader reader) {
        Map<String, String> replayed = new HashMap<>();
        Map<String, StoredRun> runs = new HashMap<>();
        List<TopicPartition> partitions = reader.partitions(List.of(topic));
        Map<TopicPartition, Long> ends = reader.ends(partitions);
        for (TopicPartition partition : partitions) {
            reader.scan(partition, 0, ends.get(partition), record -> {
                String key = new String(record.key(), StandardCharsets.UTF_8);
                String value = record.value() == null ? null : new String(record.value(), StandardCharsets.UTF_8);
                if (key.startsWith(REPLAYED) && value != null) {
                    replayed.put(key.substring(REPLAYED.length()), value);
                } else if (key.startsWith(RUN) && value != null) {
                    runs.put(key.substring(RUN.length()), parse(value));
                }
                return true;
            });
        }
        return new State(replayed, runs);
    }

    ProducerRecord<byte[], byte[]> replayed(DeadLetterCoordinates letter, String runId) {
        return record(REPLAYED + letter, runId);
    }

    ProducerRecord<byte[], byte[]> run(StoredRun stored) {
        ReplayRun run = stored.run();
        Properties p = new Properties();
        p.setProperty("id", run.id());
        p.setProperty("startedAt", run.startedAt());
        p.setProperty("selected", Integer.toString(run.selected()));
        p.setProperty("replayed", Integer.toString(run.replayed()));
        p.setProperty("alreadyReplayed", Integer.toString(run.alreadyReplayed()));
        p.setProperty("notReplayable", Integer.toString(run.notReplayable()));
        run.reasons().forEach((reason, count) -> p.setProperty("reason." + reason, Integer.toString(count)));
        stored.marks().forEach((partition, offset) -> p.setProperty(MARK + partition.topic() + "/"
                + partition.partition(), Long.toString(offset)));
        StringWriter text = new StringWriter();
        try {
            p.store(text, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return record(RUN + run.id(), text.toString());
    }

    static StoredRun parse(String text) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(text));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Integer> reasons = new TreeMap<>();
        Map<TopicPartition, Long> marks = new HashMap<>();
        for (String name : p.stringPropertyNames()) {
            if (name.startsWith("reason.")) {
                reasons.put(name.substring("reason.".length()), Integer.parseInt(p.getProperty(name)));
            } else if (name.startsWith(MARK)) {
                String at = name.substring(MARK.length());
                int slash = at.lastIndexOf('/');
                marks.put(new TopicPartition(at.substring(0, slash), Integer.parseInt(at.substring(slash + 1))),
                        Long.parseLong(p.getProperty(name)));
            }
        }
        ReplayRun run = new ReplayRun(p.getProperty("id"), p.getProperty("startedAt"), false,
                Integer.parseInt(p.getProperty("selected")), Integer.parseInt(p.getProperty("replayed")),
                Integer.parseInt(p.getProperty("alreadyReplayed")), Integer.parseInt(p.getProperty("notReplayable")),
                reasons);
        return new StoredRun(run, marks);
    }

    private ProducerRecord<byte[], byte[]> record(String key, String value) {
        return new ProducerRecord<>(topic, 0, key.getBytes(StandardCharsets.UTF_8),
                value.getBytes(StandardCharsets.UTF_8));
    }
}
