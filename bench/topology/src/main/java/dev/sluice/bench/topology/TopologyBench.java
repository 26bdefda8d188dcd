package dev.sluice.bench.topology;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sluice.app.aggregate.AggregateSettings;
import dev.sluice.app.dlq.StreamsErrorHandling;
import dev.sluice.app.enrich.EnrichSettings;
import dev.sluice.app.kafka.BoundedRocksDbConfig;
import dev.sluice.app.kafka.PipelineTopics;
import dev.sluice.app.kafka.TopicInitializer;
import dev.sluice.app.metrics.PipelineMetrics;
import dev.sluice.app.serde.RegistrySerdes;
import dev.sluice.app.serde.RegistrySettings;
import dev.sluice.app.silver.PiiSettings;
import dev.sluice.app.topology.SluiceTopology;
import dev.sluice.app.topology.TopologySettings;
import dev.sluice.app.validate.ValidationRules;
import dev.sluice.embedded.KafkaBroker;
import dev.sluice.embedded.RegistryServer;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.Environment;
import io.micronaut.core.naming.conventions.StringConvention;

/**
 * Throughput of the whole Sluice topology against three baselines, all on the same in-process broker and registry,
 * same bronze input, same run, interleaved repetitions:
 * <ul>
 * <li>(a) {@code passthrough}: a plain consumer and producer in one loop, default client settings;</li>
 * <li>(b) {@code eos-passthrough}: Kafka Streams {@code stream(bronze).to(out)}, exactly-once, same commit interval
 * and threads as the topology;</li>
 * <li>(c) {@code byte-copy}: the same hops as the topology (same sources, outputs, repartition topics and
 * changelogged stores, derived from its description, {@link ByteCopyTopology}), copying bytes, exactly-once;</li>
 * <li>{@code topology}: {@link SluiceTopology} with the service's defaults.</li>
 * </ul>
 * Each is warmed up first; the silver and gold schemas are registered by the topology's warm-up. Throughput is the
 * slope of committed bronze offsets between 20% and 80% of the input; the drain tail (bronze fully committed until
 * every internal topic is consumed) is reported apart. Output counts per topic are read back (read_committed) after
 * every run and must be identical across repetitions. Then {@link CostHarness} runs the bench records through the
 * topology in a TopologyTestDriver (no broker, no registry: schema ids from a map) and reports microseconds per
 * record per sub-topology; {@code -Dbench.harness=only} runs the harness alone, without broker and registry.
 * Not a test: run by hand (bench/README.md).
 */
public final class TopologyBench {

    private static final Logger LOG = LoggerFactory.getLogger(TopologyBench.class);
    static final boolean QUICK = Boolean.getBoolean("bench.quick");
    static final int RECORDS = intProperty("bench.records", QUICK ? 20_000 : 250_000);
    static final int REPS = intProperty("bench.reps", QUICK ? 2 : 5);
    static final String GUARANTEE = stringProperty("bench.guarantee", StreamsConfig.EXACTLY_ONCE_V2);
    static final String COMMIT_MS = stringProperty("bench.commit.ms", "100");
    static final String THREADS = stringProperty("bench.threads", "1");
    static final List<String> VARIANTS = List.of(stringProperty("bench.variants",
            "passthrough,eos-passthrough,byte-copy,topology").split(","));
    /** Fraction of the input the topology and the byte copy process in their warm-up run. */
    static final double WARMUP = Double.parseDouble(stringProperty("bench.warmup", "0.3"));
    /** Directory for profiles; when set, the run profiles the topology instead of benchmarking (bench/README.md). */
    static final String PROFILE = stringProperty("bench.profile", "");
    /**
     * The broker-free {@link CostHarness}: {@code true} after the variants, {@code only} instead of them (no broker,
     * no registry process), {@code false} not at all.
     */
    static final String HARNESS_MODE = stringProperty("bench.harness", "true");
    static final boolean HARNESS = !HARNESS_MODE.equals("false");
    /** In-memory stores for the topology and the byte copy instead of RocksDB (the service's default is RocksDB). */
    static final boolean IN_MEMORY = Boolean.parseBoolean(stringProperty("bench.inmemory", "false"));
    private static final Duration DRAIN_TIMEOUT = Duration.ofMinutes(20);
    private static final String PASSTHROUGH_OUT = "bench.passthrough";
    private static final String EOS_OUT = "bench.eos-passthrough";

    private final KafkaBroker kafka;
    private final RegistryServer registry;
    private final PipelineTopics topics = new PipelineTopics();

    /**
     * The bench's topics as the broker-free harness sees them: the test driver delivers every record on partition 0,
     * so with one partition the order events are on their order's partition, as the bench input is on the broker.
     */
    private static PipelineTopics harnessTopics() {
        PipelineTopics one = new PipelineTopics();
        one.setPartitions(1);
        return one;
    }
    private final Path dir;
    private final RegistrySerdes serdes;
    private final ValidationRules rules = shippedRules();
    private int input;
    private int runs;

    private TopologyBench(KafkaBroker kafka, RegistryServer registry, Path dir) {
        this.kafka = kafka;
        this.registry = registry;
        this.dir = dir;
        this.serdes = new RegistrySerdes(new RegistrySettings(registry.url()));
    }

    /** The result of one run of one variant. */
    record Run(String variant, int rep, long records, double steadyRate, double bronzeSeconds, double drainSeconds,
            double wallSeconds, double streamCpuUs, double appCpuUs, double processCpuUs, double registryCpuUs,
            Map<String, OutputCounts.Count> outputs, Map<String, Double> metrics, Map<String, Long> written) {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("sluice-bench-topology-");
        if (HARNESS_MODE.equals("only")) {
            new CostHarness(shippedRules(), harnessTopics(), RECORDS, dir.resolve("harness")).run(System.out);
            deleteQuietly(dir);
            System.exit(0);
        }
        int status;
        try (KafkaBroker kafka = KafkaBroker.start(dir.resolve("kafka"), 0, 0);
                RegistryServer registry = RegistryServer.start(dir.resolve("registry"), 0)) {
            TopologyBench bench = new TopologyBench(kafka, registry, dir);
            status = PROFILE.isEmpty() ? bench.benchmark() : bench.profile(Path.of(PROFILE));
        }
        deleteQuietly(dir);
        System.exit(status);
    }

    // ---- setup -------------------------------------------------------------------------------------------------

    /** Creates the topics and produces the bench input to bronze. */
    private void load() {
        TopicInitializer.create(kafka.bootstrapServers(), topics);
        kafka.createTopics(topics.getPartitions(), PASSTHROUGH_OUT, EOS_OUT);
        BenchData data = new BenchData(registry.registryV2Url(), topics, 42L);
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(data.reference());
        records.addAll(data.bulk(RECORDS));
        Properties props = kafka.clientProperties();
        props.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(64 * 1024));
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            records.forEach(producer::send);
            producer.flush();
        }
        input = records.size();
        LOG.info("bench input ready records={}", input);
    }

    // ---- the benchmark -------------------------------------------------------------------------------------------

    private int benchmark() throws Exception {
        load();
        Map<String, List<Run>> results = new LinkedHashMap<>();
        VARIANTS.forEach(v -> results.put(v, new ArrayList<>()));
        for (String variant : VARIANTS) {
            Run warm = run(variant, 0, true);
            LOG.info("warm-up {}: {}", variant, line(warm));
        }
        for (int rep = 1; rep <= REPS; rep++) {
            List<String> order = new ArrayList<>(VARIANTS);
            Collections.rotate(order, -(rep - 1));
            for (String variant : order) {
                Run run = run(variant, rep, false);
                results.get(variant).add(run);
                LOG.info("rep {} {}: {}", rep, variant, line(run));
            }
        }
        List<String> mismatches = checkOutputs(results);
        report(results, mismatches);
        if (HARNESS) {
            new CostHarness(rules, harnessTopics(), RECORDS, dir.resolve("harness")).run(System.out);
        }
        if (!mismatches.isEmpty()) {
            System.out.println("\nFAILED: output counts differ across repetitions:");
            mismatches.forEach(m -> System.out.println("  " + m));
            return 1;
        }
        return 0;
    }

    private Run run(String variant, int rep, boolean warmup) throws Exception {
        resetOutputs();
        return switch (variant) {
            case "passthrough" -> passthrough(rep);
            case "eos-passthrough" -> streams(variant, rep, eosPassthrough(), List.of(EOS_OUT), false, input, null);
            case "byte-copy" -> streams(variant, rep, byteCopy(), outputTopics(), true,
                    warmup ? (long) (WARMUP * input) : input, null);
            case "topology", "topology-inmemory" -> streams(variant, rep, null, outputTopics(), true,
                    warmup ? (long) (WARMUP * input) : input, null);
            case "byte-copy-inmemory" -> streams(variant, rep, byteCopy(true), outputTopics(), true,
                    warmup ? (long) (WARMUP * input) : input, null);
            default -> throw new IllegalArgumentException("unknown variant " + variant + " (bench.variants)");
        };
    }

    private List<String> outputTopics() {
        List<String> out = new ArrayList<>(topics.silverCompacted());
        out.addAll(topics.silverLogs());
        out.addAll(topics.gold());
        out.addAll(topics.deadLetter());
        return out;
    }

    private Set<String> compacted() {
        Set<String> out = new HashSet<>(topics.silverCompacted());
        out.addAll(topics.gold());
        return out;
    }

    /** Deletes the outputs of the previous run and the internal topics of earlier applications; recreates outputs. */
    private void resetOutputs() throws Exception {
        try (Admin admin = kafka.admin()) {
            Set<String> existing = admin.listTopics().names().get();
            List<String> doomed = existing.stream().filter(t -> outputTopics().contains(t) || t.equals(PASSTHROUGH_OUT)
                    || t.equals(EOS_OUT) || t.startsWith("bench-")).toList();
            if (!doomed.isEmpty()) {
                admin.deleteTopics(doomed).all().get();
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (admin.listTopics().names().get().stream().anyMatch(doomed::contains)) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("topics not deleted: " + doomed);
                    }
                    Thread.sleep(100);
                }
            }
        }
        TopicInitializer.create(kafka.bootstrapServers(), topics);
        kafka.createTopics(topics.getPartitions(), PASSTHROUGH_OUT, EOS_OUT);
        kafka.createTopics(topics.getPartitions(), topics.all().toArray(String[]::new));
    }

    // ---- variants --------------------------------------------------------------------------------------------

    /** (a) A consumer and a producer in one loop, default client settings: the cost of moving the bytes. */
    private Run passthrough(int rep) throws Exception {
        String group = "bench-passthrough-" + (++runs);
        AtomicLong seen = new AtomicLong();
        Properties consumerProps = kafka.clientProperties();
        consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        Exception[] failure = new Exception[1];
        Thread loop = new Thread(() -> {
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProps,
                    new ByteArrayDeserializer(), new ByteArrayDeserializer());
                    KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(kafka.clientProperties(),
                            new ByteArraySerializer(), new ByteArraySerializer())) {
                consumer.subscribe(topics.bronze());
                while (seen.get() < input) {
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                        producer.send(new ProducerRecord<>(PASSTHROUGH_OUT, null, record.timestamp(), record.key(),
                                record.value(), record.headers()));
                        seen.incrementAndGet();
                    }
                }
                producer.flush();
                consumer.commitSync();
            } catch (Exception e) {
                failure[0] = e;
            }
        }, "bench-passthrough-loop");
        CpuSnapshot before = CpuSnapshot.take();
        long end;
        CpuSnapshot after;
        try (Progress progress = new Progress(seen::get, 20)) {
            loop.start();
            while (loop.isAlive() && seen.get() < input) {
                Thread.sleep(5);
            }
            after = CpuSnapshot.take();
            loop.join();
            end = System.nanoTime();
            if (failure[0] != null) {
                throw failure[0];
            }
            long done = progress.reached(input) < 0 ? end : progress.reached(input);
            Map<String, OutputCounts.Count> out = Map.of(PASSTHROUGH_OUT, new OutputCounts.Count(endOffsets(
                    List.of(PASSTHROUGH_OUT)), -1));
            return result("passthrough", rep, progress, done, end, before, after, "bench-passthrough-loop",
                    "bench-passthrough", out, Map.of(), Map.of(PASSTHROUGH_OUT, out.get(PASSTHROUGH_OUT).records()));
        }
    }

    private Topology eosPassthrough() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(topics.bronze(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()))
                .to(EOS_OUT, Produced.with(Serdes.ByteArray(), Serdes.ByteArray()));
        return builder.build();
    }

    Topology sluice(PipelineMetrics[] metricsOut) {
        return sluice(metricsOut, IN_MEMORY);
    }

    Topology sluice(PipelineMetrics[] metricsOut, boolean inMemory) {
        PiiSettings pii = new PiiSettings();
        pii.setHashKey("bench");
        TopologySettings settings = new TopologySettings(topics, rules, pii, new EnrichSettings(),
                new AggregateSettings(), inMemory);
        PipelineMetrics metrics = PipelineMetrics.inMemory();
        metricsOut[0] = metrics;
        StreamsBuilder builder = new StreamsBuilder();
        new SluiceTopology(settings, serdes, metrics).build(builder);
        Properties props = new Properties();
        props.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
        return builder.build(props);
    }

    private Topology byteCopy() {
        return byteCopy(IN_MEMORY);
    }

    private Topology byteCopy(boolean inMemory) {
        ByteCopyTopology copy = new ByteCopyTopology(sluice(new PipelineMetrics[1]), inMemory);
        Topology topology = copy.build().build();
        if (runs == 0 || LOG.isDebugEnabled()) {
            copy.summary().forEach(s -> LOG.info("byte-copy {}", s));
        }
        return topology;
    }

    /** The silver topics the topology's sub-topologies read back (a global store's topic is read by no group). */
    private List<String> readBack(Topology topology) {
        Set<String> silver = new HashSet<>(topics.silverLogs());
        silver.addAll(topics.silverCompacted());
        return topology.describe().subtopologies().stream()
                .flatMap(subtopology -> subtopology.nodes().stream())
                .filter(node -> node instanceof TopologyDescription.Source)
                .flatMap(node -> ((TopologyDescription.Source) node).topicSet().stream())
                .filter(silver::contains)
                .distinct().sorted().toList();
    }

    private Properties streamsProps(String appId, PipelineMetrics metrics) {
        Properties props = kafka.clientProperties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, appId);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, GUARANTEE);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, COMMIT_MS);
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, THREADS);
        props.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("state").toString());
        props.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDbConfig.class);
        props.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
        if (metrics != null) {
            props.putAll(StreamsErrorHandling.config(metrics, Clock.systemUTC()));
        }
        return props;
    }

    /**
     * Runs a Streams application until its group has committed {@code stopAt} bronze records, and when
     * {@code drain} until it has consumed every topic it writes for itself; {@code during} (if any) is called
     * with the running instance once it is RUNNING.
     */
    Run streams(String variant, int rep, Topology topology, List<String> outputs, boolean drain, long stopAt,
            Consumer<KafkaStreams> during) throws Exception {
        String appId = "bench-" + variant + "-" + (++runs);
        PipelineMetrics metrics = null;
        if (variant.startsWith("topology")) {
            // a topology of its own, with the metrics the DLQ handlers report to
            PipelineMetrics[] m = new PipelineMetrics[1];
            topology = sluice(m, IN_MEMORY || variant.endsWith("-inmemory"));
            metrics = m[0];
        }
        Properties props = streamsProps(appId, metrics);
        try (Admin admin = kafka.admin(); KafkaStreams streams = new KafkaStreams(topology, props)) {
            List<TopicPartition> bronze = partitions(admin, topics.bronze());
            CpuSnapshot before = CpuSnapshot.take();
            Progress progress = new Progress(() -> committed(admin, appId, bronze), 100);
            try (progress) {
                streams.start();
                long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
                boolean profiled = false;
                while (progress.last() < stopAt) {
                    check(streams, deadline, variant);
                    if (!profiled && during != null && streams.state() == KafkaStreams.State.RUNNING) {
                        during.accept(streams);
                        profiled = true;
                    }
                    Thread.sleep(50);
                }
                long bronzeDone = progress.reached(stopAt);
                long end = System.nanoTime();
                if (drain && stopAt >= input) {
                    DrainProbe probe = new DrainProbe(admin, appId);
                    List<String> silverInputs = readBack(topology);
                    while (!probe.drained(topics.bronze(), silverInputs)) {
                        check(streams, deadline, variant);
                        Thread.sleep(50);
                    }
                    end = System.nanoTime();
                }
                CpuSnapshot after = CpuSnapshot.take();
                Map<String, Double> clientMetrics = clientMetrics(streams);
                Map<String, Long> written = written(admin, appId, outputs);
                streams.close(Duration.ofSeconds(60));
                Map<String, OutputCounts.Count> out = stopAt >= input
                        ? OutputCounts.read(kafka.clientProperties(), outputs, compacted()) : Map.of();
                return result(variant, rep, progress, bronzeDone, end, before, after, "-StreamThread-", appId,
                        out, clientMetrics, written);
            }
        }
    }

    private static void check(KafkaStreams streams, long deadline, String variant) {
        if (System.nanoTime() > deadline) {
            throw new IllegalStateException(variant + " did not finish within " + DRAIN_TIMEOUT);
        }
        if (streams.state() == KafkaStreams.State.ERROR || streams.state() == KafkaStreams.State.PENDING_ERROR) {
            throw new IllegalStateException(variant + " failed: " + streams.state());
        }
    }

    private Run result(String variant, int rep, Progress progress, long bronzeDone, long end, CpuSnapshot before,
            CpuSnapshot after, String streamThreads, String app, Map<String, OutputCounts.Count> outputs,
            Map<String, Double> metrics, Map<String, Long> written) {
        double n = input;
        return new Run(variant, rep, input, progress.slope(input, 0.2, 0.8),
                (bronzeDone - progress.start()) / 1e9, (end - bronzeDone) / 1e9, (end - progress.start()) / 1e9,
                after.threads(before, name -> name.contains(app) && name.contains(streamThreads)
                        && !name.contains("producer")) / 1e3 / n, after.threads(before, app) / 1e3 / n,
                (after.process - before.process) / 1e3 / n, (after.children - before.children) / 1e3 / n, outputs,
                metrics, written);
    }

    /**
     * End offsets of the run's outputs and of its internal topics (repartitions, changelogs), summed per topic with
     * the application id cut off: records written, plus one transaction marker per partition and transaction.
     */
    private static Map<String, Long> written(Admin admin, String appId, List<String> outputs) throws Exception {
        List<String> topicNames = new ArrayList<>(outputs);
        admin.listTopics().names().get().stream().filter(t -> t.startsWith(appId + "-")).forEach(topicNames::add);
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions(admin, topicNames).forEach(p -> request.put(p, OffsetSpec.latest()));
        Map<String, Long> out = new TreeMap<>();
        admin.listOffsets(request).all().get().forEach((p, info) -> out.merge(p.topic().startsWith(appId + "-")
                ? p.topic().substring(appId.length() + 1) : p.topic(), info.offset(), Long::sum));
        return out;
    }

    private static List<TopicPartition> partitions(Admin admin, List<String> topicNames)
            throws ExecutionException, InterruptedException {
        List<TopicPartition> out = new ArrayList<>();
        admin.describeTopics(topicNames).allTopicNames().get().values().forEach(d -> d.partitions()
                .forEach(p -> out.add(new TopicPartition(d.name(), p.partition()))));
        return out;
    }

    private static long committed(Admin admin, String group, List<TopicPartition> partitions) {
        try {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get();
            long sum = 0;
            for (TopicPartition p : partitions) {
                OffsetAndMetadata o = offsets.get(p);
                sum += o == null ? 0 : o.offset();
            }
            return sum;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private long endOffsets(List<String> topicNames) throws Exception {
        try (Admin admin = kafka.admin()) {
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            partitions(admin, topicNames).forEach(p -> request.put(p, OffsetSpec.latest()));
            return admin.listOffsets(request).all().get().values().stream().mapToLong(i -> i.offset()).sum();
        }
    }

    /** Totals of the Kafka clients of the first stream thread and of the thread itself. */
    private static Map<String, Double> clientMetrics(KafkaStreams streams) {
        Map<String, Double> out = new TreeMap<>();
        Set<String> wanted = Set.of("blocked-time-ns-total", "commit-total", "commit-latency-avg", "process-total",
                "punctuate-total", "punctuate-latency-avg", "poll-total", "txn-commit-time-ns-total",
                "txn-send-offsets-time-ns-total", "txn-begin-time-ns-total", "flush-time-ns-total",
                "bufferpool-wait-time-ns-total", "metadata-wait-time-ns-total", "record-send-total", "request-total",
                "batch-size-avg", "records-per-request-avg", "produce-throttle-time-avg", "request-latency-avg",
                "poll-idle-ratio-avg", "fetch-latency-avg", "fetch-total",
                "commit-sync-time-ns-total", "txn-abort-time-ns-total");
        for (Map.Entry<MetricName, ? extends Metric> e : streams.metrics().entrySet()) {
            MetricName name = e.getKey();
            String client = name.tags().getOrDefault("client-id", name.tags().getOrDefault("thread-id", ""));
            if (!wanted.contains(name.name()) || !client.contains("StreamThread-1") || client.contains("restore")
                    || !name.tags().keySet().stream().allMatch(t -> t.equals("client-id") || t.equals("thread-id"))) {
                continue;
            }
            Object v = e.getValue().metricValue();
            if (v instanceof Number number && !Double.isNaN(number.doubleValue())) {
                String group = name.group().replace("-metrics", "").replace("stream-thread", "thread");
                out.merge(group + "." + name.name(), number.doubleValue(), Double::sum);
            }
        }
        return out;
    }

    // ---- checking and reporting ------------------------------------------------------------------------------

    /**
     * Output counts must be the same in every repetition: records per topic, except for compacted topics fed by a
     * cache flush (gold), whose record counts depend on commit timing; for those the live keys must match.
     */
    private List<String> checkOutputs(Map<String, List<Run>> results) {
        List<String> mismatches = new ArrayList<>();
        for (Map.Entry<String, List<Run>> e : results.entrySet()) {
            List<Run> runsOf = e.getValue();
            if (runsOf.isEmpty()) {
                continue;
            }
            for (String topic : runsOf.get(0).outputs().keySet()) {
                boolean gold = topics.gold().contains(topic);
                Set<String> seen = runsOf.stream().map(r -> {
                    OutputCounts.Count c = r.outputs().get(topic);
                    return c == null ? "missing" : gold ? "keys " + c.liveKeys() : c.toString();
                }).collect(Collectors.toCollection(java.util.TreeSet::new));
                if (seen.size() > 1) {
                    mismatches.add(e.getKey() + " " + topic + ": " + seen);
                }
            }
        }
        return mismatches;
    }

    private void report(Map<String, List<Run>> results, List<String> mismatches) {
        System.out.printf("%nSluice topology benchmark: %,d bronze records, %d repetitions (interleaved, after a "
                + "warm-up each), %s, commit %s ms, %s stream thread(s), %s stores; %d cores, load average %.1f%n",
                input, REPS, GUARANTEE, COMMIT_MS, THREADS, IN_MEMORY ? "in-memory" : "RocksDB",
                Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        System.out.println("Steady state = slope of committed bronze offsets over 20%..80% of the input; "
                + "CPU = microseconds per bronze record over the whole run.");
        System.out.println("End to end = bronze records / (start until every internal topic is consumed), which "
                + "includes the drain tail that a multi-hop application leaves behind its bronze consumption.");
        System.out.printf("%n%-16s %30s %30s %9s %9s %10s %9s %11s %9s%n", "variant",
                "steady records/s min/med/max", "end-to-end records/s min/med/max", "bronze s", "drain s",
                "stream CPU", "app CPU", "process CPU", "registry");
        Map<String, Double> medians = new LinkedHashMap<>();
        Map<String, Double> endToEnd = new LinkedHashMap<>();
        for (Map.Entry<String, List<Run>> e : results.entrySet()) {
            List<Run> r = e.getValue();
            if (r.isEmpty()) {
                continue;
            }
            double[] rates = r.stream().mapToDouble(Run::steadyRate).sorted().toArray();
            double[] e2e = r.stream().mapToDouble(x -> x.records() / x.wallSeconds()).sorted().toArray();
            medians.put(e.getKey(), median(rates));
            endToEnd.put(e.getKey(), median(e2e));
            System.out.printf("%-16s %,9.0f/%,9.0f/%,9.0f   %,9.0f/%,9.0f/%,9.0f   %9.1f %9.2f %10.1f %9.1f %11.1f %9.1f%n",
                    e.getKey(), rates[0], median(rates), rates[rates.length - 1], e2e[0], median(e2e),
                    e2e[e2e.length - 1], median(r, Run::bronzeSeconds), median(r, Run::drainSeconds),
                    median(r, Run::streamCpuUs), median(r, Run::appCpuUs), median(r, Run::processCpuUs),
                    median(r, Run::registryCpuUs));
        }
        System.out.println("(CPU columns: microseconds per bronze record: the stream thread, all the application's "
                + "threads, the whole process with the broker, the registry's JVM.)");
        Double topology = medians.get("topology");
        if (topology != null) {
            System.out.println("\nSame-run ratios (medians):                steady state   end to end   stream CPU/record");
            for (Map.Entry<String, Double> e : medians.entrySet()) {
                if (!e.getKey().equals("topology")) {
                    List<Run> base = results.get(e.getKey());
                    System.out.printf("  topology / %-16s %19.3f %12.3f %15.1f%n", e.getKey(),
                            topology / e.getValue(), endToEnd.get("topology") / endToEnd.get(e.getKey()),
                            median(results.get("topology"), Run::streamCpuUs) / median(base, Run::streamCpuUs));
                }
            }
            if (medians.containsKey("topology-inmemory") && medians.containsKey("byte-copy-inmemory")) {
                System.out.printf("  topology-inmemory / byte-copy-inmemory %7.3f %12.3f %15.1f%n",
                        medians.get("topology-inmemory") / medians.get("byte-copy-inmemory"),
                        endToEnd.get("topology-inmemory") / endToEnd.get("byte-copy-inmemory"),
                        median(results.get("topology-inmemory"), Run::streamCpuUs)
                                / median(results.get("byte-copy-inmemory"), Run::streamCpuUs));
            }
        }
        System.out.println("\nWhere the stream thread's time went (median over repetitions; share of the run's wall"
                + " time):");
        for (Map.Entry<String, List<Run>> e : results.entrySet()) {
            List<Run> r = e.getValue();
            if (r.isEmpty() || r.get(0).metrics().isEmpty()) {
                continue;
            }
            double wall = median(r, Run::wallSeconds) * 1e9;
            System.out.printf("  %-16s stream-thread CPU %4.0f%%, blocked in clients %4.0f%% (txn commit %4.1f%%, "
                    + "flush %4.1f%%, send offsets %4.1f%%, begin %4.1f%%); commits %,.0f (%.1f ms avg); poll idle "
                    + "%.0f%%; %.1f records/produce request%n", e.getKey(),
                    100 * median(r, x -> x.streamCpuUs() * x.records() * 1e3) / wall,
                    100 * median(r, x -> x.metrics().getOrDefault("thread.blocked-time-ns-total", 0.0)) / wall,
                    100 * median(r, x -> x.metrics().getOrDefault("producer.txn-commit-time-ns-total", 0.0)) / wall,
                    100 * median(r, x -> x.metrics().getOrDefault("producer.flush-time-ns-total", 0.0)) / wall,
                    100 * median(r, x -> x.metrics().getOrDefault("producer.txn-send-offsets-time-ns-total", 0.0))
                            / wall,
                    100 * median(r, x -> x.metrics().getOrDefault("producer.txn-begin-time-ns-total", 0.0)) / wall,
                    median(r, x -> x.metrics().getOrDefault("thread.commit-total", 0.0)),
                    median(r, x -> x.metrics().getOrDefault("thread.commit-latency-avg", 0.0)),
                    100 * median(r, x -> x.metrics().getOrDefault("consumer.poll-idle-ratio-avg", 0.0)),
                    median(r, x -> x.metrics().getOrDefault("producer.records-per-request-avg", 0.0)));
        }
        System.out.println("\nOutput records per topic (read_committed; per repetition):");
        for (Map.Entry<String, List<Run>> e : results.entrySet()) {
            List<Run> r = e.getValue();
            if (r.isEmpty()) {
                continue;
            }
            long total = 0;
            for (String topic : r.get(0).outputs().keySet()) {
                List<String> values = r.stream().map(x -> String.valueOf(x.outputs().get(topic))).toList();
                total += r.get(0).outputs().get(topic).records();
                System.out.printf("  %-16s %-28s %s%n", e.getKey(), topic, new java.util.LinkedHashSet<>(values));
            }
            System.out.printf("  %-16s %-28s %.2f per input record (outputs only; changelogs and repartitions not "
                    + "counted)%n", e.getKey(), "total", total / (double) input);
        }
        System.out.println("\nWrite amplification (records written per bronze record, from end offsets of the first "
                + "repetition: outputs, repartitions and changelogs; includes transaction markers):");
        for (Map.Entry<String, List<Run>> e : results.entrySet()) {
            if (e.getValue().isEmpty() || e.getValue().get(0).written().isEmpty()) {
                continue;
            }
            Map<String, Long> w = e.getValue().get(0).written();
            long total = w.values().stream().mapToLong(Long::longValue).sum();
            String top = w.entrySet().stream().filter(x -> x.getValue() > 0)
                    .sorted((x, y) -> Long.compare(y.getValue(), x.getValue()))
                    .map(x -> String.format("%s %.2f", x.getKey(), x.getValue() / (double) input))
                    .collect(Collectors.joining(", "));
            System.out.printf("  %-16s %.2f in total: %s%n", e.getKey(), total / (double) input, top);
        }
        System.out.println(mismatches.isEmpty() ? "Output counts identical across repetitions."
                : "OUTPUT COUNTS DIFFER across repetitions (see below).");
    }

    private static String line(Run r) {
        return String.format("%,.0f records/s steady, bronze %.1f s, drain tail %.2f s, stream CPU %.1f us/record, "
                + "process CPU %.1f us/record, registry %.1f us/record", r.steadyRate(), r.bronzeSeconds(),
                r.drainSeconds(), r.streamCpuUs(), r.processCpuUs(), r.registryCpuUs());
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static double median(List<Run> runs, java.util.function.ToDoubleFunction<Run> f) {
        return median(runs.stream().mapToDouble(f).sorted().toArray());
    }

    // ---- profiling ----------------------------------------------------------------------------------------------

    /**
     * Warms up, then runs the topology three times under profilers: async-profiler wall clock (all threads) with a
     * JFR recording, async-profiler CPU, and plain (for the cost of profiling). Writes the profiles to {@code out}
     * and prints the shares of the stream thread's time per cause ({@link ProfileReport}).
     */
    private int profile(Path out) throws Exception {
        Files.createDirectories(out);
        load();
        run("topology", 0, true);
        Profiling profiling = new Profiling(out);
        List<Run> profiled = new ArrayList<>();
        for (String mode : List.of("wall", "cpu")) {
            resetOutputs();
            Run r = streams("topology", 1, null, outputTopics(), true, input, s -> profiling.start(mode));
            profiling.stop(mode);
            profiled.add(r);
            LOG.info("profiled ({}) topology: {}", mode, line(r));
        }
        resetOutputs();
        Run plain = run("topology", 1, false);
        LOG.info("topology without profiler (for the profilers' cost): {}", line(plain));
        List<Run> copies = new ArrayList<>();
        for (String mode : List.of("wall-bytecopy", "cpu-bytecopy")) {
            resetOutputs();
            copies.add(streams("byte-copy", 1, byteCopy(), outputTopics(), true, input, s -> profiling.start(mode)));
            profiling.stop(mode);
        }
        CostHarness harness = new CostHarness(rules, harnessTopics(), RECORDS, dir.resolve("harness"));
        harness.run(System.out, "topology", false);
        profiling.start("harness-cpu");
        harness.run(System.out, "topology", false);
        profiling.stop("harness-cpu");
        System.out.println("topology without profiler: " + line(plain) + " metrics " + plain.metrics());
        for (Run r : profiled) {
            System.out.println("topology run under profiler: " + line(r) + " metrics " + r.metrics());
        }
        for (Run r : copies) {
            System.out.println("byte-copy run under profiler: " + line(r) + " metrics " + r.metrics());
        }
        new ProfileReport(out).print(System.out);
        return 0;
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    static ValidationRules shippedRules() {
        ApplicationContext context = ApplicationContext.builder().deduceEnvironment(false).build();
        Environment environment = context.getEnvironment().start();
        try {
            return ValidationRules.parse(environment.getProperties("sluice.validation", StringConvention.RAW));
        } finally {
            environment.stop();
        }
    }

    private static int intProperty(String name, int fallback) {
        String v = stringProperty(name, "");
        return v.isEmpty() ? fallback : Integer.parseInt(v.replace("_", ""));
    }

    /** A system property; unset and empty (as Maven passes an unset property) both mean the default. */
    static String stringProperty(String name, String fallback) {
        String v = System.getProperty(name);
        return v == null || v.isBlank() ? fallback : v.trim();
    }

    @SuppressWarnings("unused")
    private static String join(Map<String, ?> map) {
        return map.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
    }

    private static void deleteQuietly(Path path) {
        try (var files = Files.walk(path)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort
        }
    }

    static String arrays(double[] a) {
        return Arrays.toString(a);
    }
}
