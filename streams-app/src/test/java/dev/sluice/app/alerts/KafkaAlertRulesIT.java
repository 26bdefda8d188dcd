package dev.sluice.app.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.sluice.app.compaction.CompactionConfiguration;
import dev.sluice.app.compaction.CompactionRuns;
import dev.sluice.app.compaction.RunView;
import dev.sluice.app.connect.ConnectorService;
import dev.sluice.app.kafka.PipelineTopics;
import dev.sluice.app.query.AppInstance;
import dev.sluice.app.query.StreamsAdmin;
import dev.sluice.app.query.StreamsInstance;
import dev.sluice.app.status.PipelineStatusService;
import dev.sluice.app.testing.LakeSinkParameters;
import dev.sluice.connect.admin.ConnectRestClient;
import dev.sluice.connect.template.ConnectorTemplates;
import dev.sluice.embedded.Await;
import dev.sluice.embedded.ConnectWorker;
import dev.sluice.embedded.EmbeddedPlatformExtension;
import dev.sluice.embedded.KafkaBroker;
import dev.sluice.embedded.RegistryServer;
import dev.sluice.embedded.S3Server;
import dev.sluice.lake.compaction.CompactionEngine;
import dev.sluice.lake.compaction.CompactionSettings;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micronaut.context.event.ApplicationEventPublisher;

/**
 * The rules that read Kafka, Kafka Connect and the lake, each built by the test over the real components of a
 * running instance (shared broker, Connect worker and S3 server): topology-not-running and consumer-lag when the
 * instance's Kafka Streams is stopped and its input keeps coming, lake-sink-not-committing for a real S3 sink that
 * is paused with records to write and then resumed, and for one that never committed anything (its bucket is
 * missing), and compaction-failing resolved by a run that succeeds. The rules are the test's own instances (the
 * app's evaluator is off in tests, application-test.yml); each publishes into a registry of its own, read back here
 * as Prometheus would see it.
 */
@ExtendWith(EmbeddedPlatformExtension.class)
class KafkaAlertRulesIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final PipelineTopics TOPICS = AppInstance.topics("alert-rules-it");
    private static final String LAG = "sluice.consumer.lag.records";
    private static final String COMMITTED = "sluice.lake.sink.committed.offsets";
    private static final String SINK_LAG = "sluice.lake.sink.lag.records";
    private static final String FAILED = "sluice.lake.compaction.last.run.failed";

    private static AppInstance app;

    @BeforeAll
    static void start(KafkaBroker kafka, RegistryServer registry, ConnectWorker worker) throws IOException {
        Map<String, Object> settings = new HashMap<>(AppInstance.settings(TOPICS));
        settings.put("sluice.connect.url", worker.restUrl());
        app = AppInstance.start(kafka, registry, "alert-rules-it", settings);
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void aStoppedTopologyFiresAndItsUnreadInputLagsPastTheThreshold(KafkaBroker kafka) throws Exception {
        MeterRegistry registry = new SimpleMeterRegistry();
        ExportedReadings readings = new ExportedReadings(registry);
        StreamsInstance instance = app.context().getBean(StreamsInstance.class);
        PipelineStatusService status = app.context().getBean(PipelineStatusService.class);
        TopologyRule topology = new TopologyRule(instance, readings);
        LagRule lag = new LagRule(status, readings, 3);
        String events = TOPICS.getUserEvents();

        assertEquals(List.of(), topology.check(Instant.now()), "RUNNING");
        assertEquals(1.0, reading(registry, "sluice.streams.running", Map.of()));
        Await.until("every input topic known, without lag", TIMEOUT,
                () -> lag.check(Instant.now()).isEmpty() && reading(registry, LAG, Map.of("topic", events)) == 0);

        assertTrue(instance.streams().close(Duration.ofSeconds(60)), "Kafka Streams stopped");
        assertEquals(List.of(new Finding(Map.of(), "Kafka Streams is NOT_RUNNING")), topology.check(Instant.now()));
        assertEquals(0.0, reading(registry, "sluice.streams.running", Map.of()));

        produce(kafka, events, 5);
        Await.until("the 5 unread records seen as lag", TIMEOUT, () -> {
            lag.check(Instant.now());
            return reading(registry, LAG, Map.of("topic", events)) == 5;
        });
        assertEquals(List.of(new Finding(Map.of("topic", events), "consumer lag on " + events
                + " is 5 records (threshold 3)")), lag.check(Instant.now()), "only the topic past the threshold");
        assertEquals(0.0, reading(registry, LAG, Map.of("topic", TOPICS.getOrders())), "a row per input topic");
        assertEquals(List.of(), new LagRule(status, new ExportedReadings(new SimpleMeterRegistry()), 5)
                .check(Instant.now()), "5 records are not more than a threshold of 5");
    }

    @Test
    void aPausedSinkWithRecordsToWriteFiresAndResolvesOnceItCommitsAgain(KafkaBroker kafka, RegistryServer registry,
            ConnectWorker worker, S3Server s3) throws Exception {
        String name = "alert-sink-" + UUID.randomUUID().toString().substring(0, 8);
        String topic = "it." + name;
        kafka.createTopics(1, topic);
        ConnectRestClient connect = new ConnectRestClient(worker.restUrl());
        connect.create(name, sink(name, topic, S3Server.LAKE_BUCKET, registry, s3));
        MeterRegistry meters = new SimpleMeterRegistry();
        SinkCommitRule rule = new SinkCommitRule(app.context().getBean(ConnectorService.class),
                app.context().getBean(StreamsAdmin.class), new ExportedReadings(meters));
        Map<String, String> labels = Map.of("connector", name);
        try {
            Await.until("the sink runs", TIMEOUT, () -> connect.isRunning(name));
            produce(kafka, topic, 2);
            Await.until("both records committed", TIMEOUT, () -> {
                rule.check(Instant.now());
                return reading(meters, COMMITTED, labels) == 2 && reading(meters, SINK_LAG, labels) == 0;
            });
            assertEquals(List.of(), findingsOf(rule.check(Instant.now()), name),
                    "nothing to write: quiet, though nothing was committed since the last check");

            connect.pause(name);
            Await.until("the sink paused", TIMEOUT,
                    () -> "PAUSED".equals(connect.status(name).at("/tasks/0/state").asText()));
            produce(kafka, topic, 3);
            assertEquals(List.of(new Finding(labels, "sink " + name + " has 3 records to write and committed "
                    + "nothing since the last check")), findingsOf(rule.check(Instant.now()), name));
            assertEquals(2.0, reading(meters, COMMITTED, labels));
            assertEquals(3.0, reading(meters, SINK_LAG, labels));

            connect.resume(name);
            Await.until("quiet once the sink committed the 3 records", TIMEOUT,
                    () -> findingsOf(rule.check(Instant.now()), name).isEmpty()
                            && reading(meters, COMMITTED, labels) == 5 && reading(meters, SINK_LAG, labels) == 0);
        } finally {
            connect.delete(name);
        }
    }

    @Test
    void aSinkThatNeverCommittedFiresWhileItHasRecordsToWrite(KafkaBroker kafka, RegistryServer registry,
            ConnectWorker worker, S3Server s3) throws Exception {
        String name = "alert-stuck-sink-" + UUID.randomUUID().toString().substring(0, 8);
        String topic = "it." + name;
        kafka.createTopics(1, topic);
        produce(kafka, topic, 2);
        ConnectRestClient connect = new ConnectRestClient(worker.restUrl());
        // Its bucket does not exist: the task fails at start, and its group never commits an offset.
        connect.create(name, sink(name, topic, "missing-" + name, registry, s3));
        MeterRegistry meters = new SimpleMeterRegistry();
        SinkCommitRule rule = new SinkCommitRule(app.context().getBean(ConnectorService.class),
                app.context().getBean(StreamsAdmin.class), new ExportedReadings(meters));
        Map<String, String> labels = Map.of("connector", name);
        try {
            Await.until("the sink's task failed", TIMEOUT,
                    () -> "FAILED".equals(connect.status(name).at("/tasks/0/state").asText()));
            assertEquals(List.of(), findingsOf(rule.check(Instant.now()), name), "no earlier check to compare with");
            assertEquals(List.of(new Finding(labels, "sink " + name + " has 2 records to write and committed "
                    + "nothing since the last check")), findingsOf(rule.check(Instant.now()), name));
            assertEquals(0.0, reading(meters, COMMITTED, labels));
            assertEquals(2.0, reading(meters, SINK_LAG, labels), "its whole topic is still to be written");
        } finally {
            connect.delete(name);
        }
    }

    @Test
    void compactionFailingResolvesWhenALaterRunSucceeds(S3Server s3) {
        String bucket = "alert-compaction-" + UUID.randomUUID().toString().substring(0, 8);
        CompactionRuns runs = new CompactionRuns(new CompactionEngine(s3.client(),
                CompactionSettings.builder(bucket).build()), null, new CompactionConfiguration(),
                ApplicationEventPublisher.noOp(), Clock.systemUTC());
        MeterRegistry meters = new SimpleMeterRegistry();
        CompactionRule rule = new CompactionRule(runs, new ExportedReadings(meters));

        long first = finishedRun(runs).id();
        assertEquals(RunView.Status.FAILED, runs.lastFinished().orElseThrow().status(), "the bucket is missing");
        List<Finding> findings = rule.check(Instant.now());
        assertEquals(1, findings.size());
        assertTrue(findings.get(0).summary().startsWith("compaction run " + first + " failed: listing the lake "
                + "failed: "), findings.get(0).summary());
        assertEquals(1.0, reading(meters, FAILED, Map.of()));

        s3.createBucket(bucket);
        RunView second = finishedRun(runs);
        assertEquals(RunView.Status.SUCCEEDED, second.status(), "the bucket exists and is empty");
        assertEquals(List.of(), rule.check(Instant.now()));
        assertEquals(0.0, reading(meters, FAILED, Map.of()));
    }

    /**
     * An S3 sink of {@code topic} from the template. The records here are not Avro: the task dead-letters them and
     * commits their offsets at the first idle rotation (the template's default waits five minutes).
     */
    private static Map<String, String> sink(String name, String topic, String bucket, RegistryServer registry,
            S3Server s3) {
        Map<String, String> parameters = LakeSinkParameters.of(topic, bucket, "it-" + name, "dlq.it." + name,
                registry, s3);
        parameters.put("rotate.idle.ms", "1000");
        return new ConnectorTemplates().find("s3-parquet-sink").orElseThrow().render(parameters);
    }

    /** Starts a run and waits for it to finish. */
    private static RunView finishedRun(CompactionRuns runs) {
        long id = runs.start(RunView.Trigger.API).orElseThrow().id();
        Await.until("compaction run " + id + " finished", TIMEOUT,
                () -> runs.lastFinished().map(run -> run.id() == id).orElse(false));
        return runs.lastFinished().orElseThrow();
    }

    /** The findings about connector {@code name}: the Connect worker is shared with other test classes' sinks. */
    private static List<Finding> findingsOf(List<Finding> findings, String name) {
        return findings.stream().filter(finding -> name.equals(finding.labels().get("connector"))).toList();
    }

    /** The value of one row of a published gauge; NaN while there is none. */
    private static double reading(MeterRegistry registry, String name, Map<String, String> tags) {
        var search = registry.find(name);
        for (Map.Entry<String, String> tag : tags.entrySet()) {
            search = search.tag(tag.getKey(), tag.getValue());
        }
        Gauge gauge = search.gauge();
        return gauge == null ? Double.NaN : gauge.value();
    }

    private static void produce(KafkaBroker kafka, String topic, int count)
            throws InterruptedException, ExecutionException {
        Properties props = kafka.clientProperties();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, ("k" + i).getBytes(StandardCharsets.UTF_8),
                        ("not avro " + i).getBytes(StandardCharsets.UTF_8))).get();
            }
        }
    }
}
