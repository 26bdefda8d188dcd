package dev.sluice.bench.topology;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorSupplier;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.ProcessorWrapper;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.WrappedFixedKeyProcessorSupplier;
import org.apache.kafka.streams.processor.api.WrappedProcessorSupplier;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.test.TestRecord;

import dev.sluice.app.aggregate.AggregateSettings;
import dev.sluice.app.dlq.StreamsErrorHandling;
import dev.sluice.app.enrich.EnrichSettings;
import dev.sluice.app.kafka.PipelineTopics;
import dev.sluice.app.metrics.PipelineMetrics;
import dev.sluice.app.serde.RegistrySerdes;
import dev.sluice.app.serde.RegistrySettings;
import dev.sluice.app.silver.PiiSettings;
import dev.sluice.app.topology.SluiceTopology;
import dev.sluice.app.topology.TopologySettings;
import dev.sluice.app.testing.InMemorySchemaSource;
import dev.sluice.app.validate.ValidationRules;

/**
 * The broker-free cost of the topology: the bench's bronze records piped through {@link SluiceTopology} (as the app
 * builds it: RocksDB stores, the shipped rules, the service's serdes over in-memory schema ids) in a
 * {@link TopologyTestDriver}, one thread, no Kafka. The driver carries each record through every sub-topology it
 * reaches (repartitions and silver read back included) within {@code pipeInput}. Every processor is wrapped
 * ({@code processor.wrapper.class}) so that the time of the first processor entered in a sub-topology, which runs
 * the whole sub-topology down to its sinks (serialization included), is charged to that sub-topology. What no
 * processor covers (the driver's per-record commit, which flushes the DSL caches and so emits gold; source
 * deserialization of internal topics; the driver's bookkeeping) is reported as "outside processors".
 */
final class CostHarness {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    /** The driver's clock: now, as the bench data's event times are (rules reject times far in the future). */
    private final Instant START = Instant.now();

    private final RegistrySerdes serdes;
    private final ValidationRules rules;
    private final PipelineTopics topics;
    private final List<ProducerRecord<byte[], byte[]>> records;
    private final Path stateDir;

    /** At most this many of the bench records (reference data first), a fifth of them as warm-up. */
    static final int RECORDS = Integer.parseInt(TopologyBench.stringProperty("bench.harness.records", "30000"));

    /**
     * The harness over the bench's input of {@code benchRecords} records (the same seed, so the same records as the
     * broker runs). Schema ids come from a map instead of a registry process: the topology's serdes, wire format and
     * schema cache are the service's, only the ids' source differs, and no registry call happens on the hot path in
     * the service either (ids are resolved once).
     */
    CostHarness(ValidationRules rules, PipelineTopics topics, int benchRecords, Path stateDir) {
        InMemorySchemaSource schemas = new InMemorySchemaSource();
        this.serdes = new RegistrySerdes(schemas, new RegistrySettings());
        this.rules = rules;
        this.topics = topics;
        BenchData data = new BenchData(schemas, topics, 42L);
        List<ProducerRecord<byte[], byte[]>> all = new ArrayList<>(data.reference());
        all.addAll(data.bulk(benchRecords));
        this.records = all.subList(0, Math.min(all.size(), RECORDS));
        this.stateDir = stateDir;
    }

    /** The topology with RocksDB stores (as the app), with in-memory stores, and the byte copy of its hops. */
    void run(PrintStream out) throws IOException {
        double topology = run(out, "topology", false);
        run(out, "topology", true);
        double copy = run(out, "byte-copy", false);
        out.printf("%nHarness: topology %.1f us CPU per bronze record, its byte copy %.1f us (the driver's and Kafka "
                + "Streams' floor for this shape); topology minus byte copy: %.1f us%n", topology, copy,
                topology - copy);
    }

    /** Runs {@code what} ("topology" or "byte-copy") and returns the driver thread's CPU microseconds per record. */
    double run(PrintStream out, String what, boolean inMemory) throws IOException {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "bench-harness-" + what + "-" + inMemory);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        // created here: the profile mode calls this method directly
        props.put(StreamsConfig.STATE_DIR_CONFIG,
                Files.createTempDirectory(Files.createDirectories(stateDir), "ttd").toString());
        props.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
        props.put(StreamsConfig.PROCESSOR_WRAPPER_CLASS_CONFIG, Timing.class);
        PipelineMetrics metrics = PipelineMetrics.inMemory();
        props.putAll(StreamsErrorHandling.config(metrics, Clock.systemUTC()));
        PiiSettings pii = new PiiSettings();
        pii.setHashKey("bench");
        TopologySettings settings = new TopologySettings(topics, rules, pii, new EnrichSettings(),
                new AggregateSettings(), inMemory);
        StreamsBuilder builder = new StreamsBuilder(new TopologyConfig(new StreamsConfig(props)));
        if (what.equals("byte-copy")) {
            StreamsBuilder sluice = new StreamsBuilder();
            new SluiceTopology(settings, serdes, metrics).build(sluice);
            new ByteCopyTopology(sluice.build(props)).build(builder);
        } else {
            new SluiceTopology(settings, serdes, metrics).build(builder);
        }
        Topology topology = builder.build(props);
        Map<String, String> subOf = new HashMap<>();
        Map<String, String> labels = new LinkedHashMap<>();
        for (TopologyDescription.Subtopology sub : topology.describe().subtopologies()) {
            List<String> sources = new ArrayList<>();
            for (TopologyDescription.Node node : sub.nodes()) {
                subOf.put(node.name(), Integer.toString(sub.id()));
                if (node instanceof TopologyDescription.Source s) {
                    sources.addAll(s.topicSet());
                }
            }
            labels.put(Integer.toString(sub.id()), String.join(", ", sources));
        }
        for (TopologyDescription.GlobalStore global : topology.describe().globalStores()) {
            subOf.put(global.processor().name(), "global");
            labels.put("global", "global reference tables (silver.customers, .products, .exchange_rates)");
        }
        Timing.reset(false);
        int warm = records.size() / 5;
        Map<String, long[]> perTopic = new TreeMap<>();
        long cpu = 0;
        long wall = 0;
        try (TopologyTestDriver driver = new TopologyTestDriver(topology, props, START)) {
            Map<String, TestInputTopic<byte[], byte[]>> inputs = new HashMap<>();
            for (int i = 0; i < records.size(); i++) {
                if (i == warm) {
                    Timing.reset(true);
                }
                ProducerRecord<byte[], byte[]> r = records.get(i);
                TestInputTopic<byte[], byte[]> in = inputs.computeIfAbsent(r.topic(), t -> driver.createInputTopic(t,
                        new ByteArraySerializer(), new ByteArraySerializer()));
                TestRecord<byte[], byte[]> record = new TestRecord<>(r.key(), r.value(), new RecordHeaders(),
                        START.plusMillis(i / 100));
                long c0 = THREADS.getCurrentThreadCpuTime();
                long t0 = System.nanoTime();
                in.pipeInput(record);
                long t1 = System.nanoTime();
                long c1 = THREADS.getCurrentThreadCpuTime();
                if (i >= warm) {
                    long[] acc = perTopic.computeIfAbsent(r.topic(), t -> new long[3]);
                    acc[0]++;
                    acc[1] += t1 - t0;
                    acc[2] += c1 - c0;
                    wall += t1 - t0;
                    cpu += c1 - c0;
                }
                if (i % 5_000 == 0) {
                    drain(driver);
                }
            }
            drain(driver);
        }
        long timed = records.size() - warm;
        out.printf("%nBroker-free cost harness (TopologyTestDriver, %s, %s stores, the shipped rules, "
                + "in-memory schema ids): %,d bronze records timed after %,d warm-up records%n", what.equals("byte-copy")
                        ? "byte copy of SluiceTopology's hops" : "SluiceTopology", inMemory ? "in-memory" : "RocksDB",
                timed, warm);
        out.printf("  total: %.1f us wall, %.1f us CPU per bronze record (the driver thread; ~1 us of it is the "
                + "harness's own timing)%n", wall / 1e3 / timed, cpu / 1e3 / timed);
        out.println("  per bronze topic (the record and everything it causes downstream):");
        perTopic.forEach((t, a) -> out.printf("    %-36s %,9d records %8.1f us wall %8.1f us CPU per record%n", t,
                a[0], a[1] / 1e3 / a[0], a[2] / 1e3 / a[0]));
        out.println("  per sub-topology (wall time inside its processors, per bronze record and per record entering"
                + " it):");
        Map<String, long[]> bySub = new TreeMap<>((a, b) -> a.equals("global") ? -1 : b.equals("global") ? 1
                : Integer.compare(Integer.parseInt(a), Integer.parseInt(b)));
        Timing.TOTALS.forEach((name, acc) -> {
            long[] s = bySub.computeIfAbsent(subOf.getOrDefault(name, "?"), k -> new long[2]);
            s[0] += acc[0];
            s[1] += acc[1];
        });
        long inside = 0;
        for (Map.Entry<String, long[]> e : bySub.entrySet()) {
            inside += e.getValue()[1];
            out.printf("    %-7s %-58s %8.2f us/bronze %,10d in %7.1f us each%n", e.getKey(),
                    labels.getOrDefault(e.getKey(), "?"), e.getValue()[1] / 1e3 / timed, e.getValue()[0],
                    e.getValue()[1] / 1e3 / Math.max(e.getValue()[0], 1));
        }
        if (Boolean.getBoolean("bench.harness.detail")) {
            out.println("  records written per topic: " + produced);
            produced.clear();
            out.println("  per processor entered first in its sub-topology:");
            Timing.TOTALS.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1]))
                    .forEach(e -> out.printf("    %-60s %,10d x %8.2f us/bronze%n", e.getKey(), e.getValue()[0],
                            e.getValue()[1] / 1e3 / timed));
        }
        out.printf("    %-66s %8.2f us/bronze%n", "outside processors (commits + cache flushes + gold, source "
                + "deserialization, driver)", (wall - inside) / 1e3 / timed);
        return cpu / 1e3 / timed;
    }

    private final Map<String, Long> produced = new TreeMap<>();

    private void drain(TopologyTestDriver driver) {
        for (String topic : Set.copyOf(driver.producedTopicNames())) {
            produced.merge(topic, (long) driver.createOutputTopic(topic, new ByteArrayDeserializer(),
                    new ByteArrayDeserializer()).readRecordsToList().size(), Long::sum);
        }
    }

    /**
     * Times every processor of the topology; only the outermost call (the first processor of a sub-topology, which
     * runs the rest of it by forwarding) is charged, so that nested processors are not counted twice.
     */
    public static final class Timing implements ProcessorWrapper {
        static final Map<String, long[]> TOTALS = new HashMap<>();
        private static boolean enabled;
        private static int depth;

        static void reset(boolean on) {
            TOTALS.clear();
            enabled = on;
        }

        static void timed(String name, Runnable call) {
            if (depth > 0 || !enabled) {
                depth++;
                try {
                    call.run();
                } finally {
                    depth--;
                }
                return;
            }
            long t0 = System.nanoTime();
            depth++;
            try {
                call.run();
            } finally {
                depth--;
                long[] acc = TOTALS.computeIfAbsent(name, n -> new long[2]);
                acc[0]++;
                acc[1] += System.nanoTime() - t0;
            }
        }

        @Override
        public <KIn, VIn, KOut, VOut> WrappedProcessorSupplier<KIn, VIn, KOut, VOut> wrapProcessorSupplier(
                String name, ProcessorSupplier<KIn, VIn, KOut, VOut> supplier) {
            return new WrappedProcessorSupplier<>() {
                @Override
                public Processor<KIn, VIn, KOut, VOut> get() {
                    Processor<KIn, VIn, KOut, VOut> p = supplier.get();
                    return new Processor<>() {
                        @Override
                        public void init(ProcessorContext<KOut, VOut> context) {
                            p.init(context);
                        }

                        @Override
                        public void process(Record<KIn, VIn> record) {
                            timed(name, () -> p.process(record));
                        }

                        @Override
                        public void close() {
                            p.close();
                        }
                    };
                }

                @Override
                public Set<StoreBuilder<?>> stores() {
                    return supplier.stores();
                }
            };
        }

        @Override
        public <KIn, VIn, VOut> WrappedFixedKeyProcessorSupplier<KIn, VIn, VOut> wrapFixedKeyProcessorSupplier(
                String name, FixedKeyProcessorSupplier<KIn, VIn, VOut> supplier) {
            return new WrappedFixedKeyProcessorSupplier<>() {
                @Override
                public FixedKeyProcessor<KIn, VIn, VOut> get() {
                    FixedKeyProcessor<KIn, VIn, VOut> p = supplier.get();
                    return new FixedKeyProcessor<>() {
                        @Override
                        public void init(FixedKeyProcessorContext<KIn, VOut> context) {
                            p.init(context);
                        }

                        @Override
                        public void process(FixedKeyRecord<KIn, VIn> record) {
                            timed(name, () -> p.process(record));
                        }

                        @Override
                        public void close() {
                            p.close();
                        }
                    };
                }

                @Override
                public Set<StoreBuilder<?>> stores() {
                    return supplier.stores();
                }
            };
        }
    }
}
