package dev.sluice.bench.topology;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.BranchedKStream;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * Baseline (c): a byte-copy topology with the same hops as a given topology, derived from its description. For each
 * sub-topology of the original: the same source topics (user topics, or repartition topics of its own with the same
 * names), one RocksDB key-value store per store-using processor (same store name, changelog on or off and caching on
 * or off as the original store), each record put under its key bytes with a small value ({@link #stateValue}); the same output topics and repartition topics, each record
 * forwarded unchanged (same key bytes, so repartitions do not re-key). Dead-letter sinks (topic-name extractors) get
 * nothing. Where a sub-topology's outputs hang off different branches of a DSL split (children named
 * {@code <split name><branch>}), a record takes one branch, chosen by key hash; other fan-outs go to every output.
 */
final class ByteCopyTopology {

    /** What the byte copy keeps of one store of the original. */
    record StoreShape(String name, boolean logging, boolean caching) {
    }

    private final TopologyDescription description;
    private final Map<String, StoreShape> stores;
    private final List<String> log = new ArrayList<>();

    private final boolean inMemory;

    ByteCopyTopology(Topology original) {
        this(original, false);
    }

    ByteCopyTopology(Topology original, boolean inMemory) {
        this.description = original.describe();
        this.stores = storeShapes(original);
        this.inMemory = inMemory;
    }

    /** One line per sub-topology: what the copy reads, stores and writes. */
    List<String> summary() {
        return log;
    }

    Map<String, StoreShape> stores() {
        return stores;
    }

    StreamsBuilder build() {
        return build(new StreamsBuilder());
    }

    /** Adds the copy to {@code builder} (one made with a {@link org.apache.kafka.streams.TopologyConfig} if needed). */
    StreamsBuilder build(StreamsBuilder builder) {
        for (TopologyDescription.GlobalStore global : description.globalStores()) {
            String store = global.processor().stores().iterator().next();
            String topic = global.source().topicSet().iterator().next();
            builder.addGlobalStore(kv(store, false, false), topic, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray())
                    .withName("bytecopy.global-source-" + store), () -> new GlobalPut(store));
            log.add("global " + topic + " -> store " + store);
        }
        Set<String> repartitionTopics = new HashSet<>();
        for (TopologyDescription.Subtopology sub : description.subtopologies()) {
            for (TopologyDescription.Node node : sub.nodes()) {
                if (node instanceof TopologyDescription.Sink sink && sink.topic() != null
                        && sink.topic().endsWith("-repartition")) {
                    repartitionTopics.add(sink.topic());
                }
            }
        }
        Set<String> reroutes = reroutes(description);
        Map<String, KStream<byte[], byte[]>> repartitioned = new LinkedHashMap<>();
        List<TopologyDescription.Subtopology> pending = new ArrayList<>(description.subtopologies());
        while (!pending.isEmpty()) {
            boolean progressed = false;
            for (var it = pending.iterator(); it.hasNext();) {
                TopologyDescription.Subtopology sub = it.next();
                List<String> sourceTopics = sub.nodes().stream()
                        .filter(n -> n instanceof TopologyDescription.Source)
                        .flatMap(n -> ((TopologyDescription.Source) n).topicSet().stream())
                        .filter(t -> !reroutes.contains(t)).sorted().toList();
                if (sourceTopics.stream().anyMatch(t -> repartitionTopics.contains(t) && !repartitioned.containsKey(t))) {
                    continue;
                }
                copy(builder, sub, sourceTopics, repartitionTopics, reroutes, repartitioned);
                it.remove();
                progressed = true;
            }
            if (!progressed) {
                throw new IllegalStateException("cyclic repartition topics in " + pending);
            }
        }
        return builder;
    }

    private void copy(StreamsBuilder builder, TopologyDescription.Subtopology sub, List<String> sourceTopics,
            Set<String> repartitionTopics, Set<String> reroutes, Map<String, KStream<byte[], byte[]>> repartitioned) {
        String id = "bytecopy." + sub.id() + ".";
        KStream<byte[], byte[]> stream = null;
        List<String> userTopics = sourceTopics.stream().filter(t -> !repartitionTopics.contains(t)).toList();
        if (!userTopics.isEmpty()) {
            stream = builder.stream(userTopics, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray())
                    .withName(id + "source"));
        }
        for (String topic : sourceTopics) {
            if (repartitionTopics.contains(topic)) {
                KStream<byte[], byte[]> in = repartitioned.get(topic);
                stream = stream == null ? in : stream.merge(in, Named.as(id + "merge-" + topic));
            }
        }
        List<String> puts = new ArrayList<>();
        Set<String> putInto = new HashSet<>();
        List<TopologyDescription.Node> nodes = new ArrayList<>(sub.nodes());
        nodes.sort((a, b) -> Integer.compare(depth(a), depth(b)));
        for (TopologyDescription.Node node : nodes) {
            if (node instanceof TopologyDescription.Processor p && !p.stores().isEmpty()) {
                String store = p.stores().size() == 1 ? p.stores().iterator().next()
                        : p.stores().contains(p.name()) ? p.name() : p.stores().iterator().next();
                if (!putInto.add(store)) {
                    continue; // another processor of the store (a reader, e.g. SessionRetractions): one put is the copy
                }
                StoreShape shape = stores.get(store);
                builder.addStateStore(kv(store, shape == null || shape.logging(), shape != null && shape.caching()));
                Set<String> from = new HashSet<>();
                sourcesAbove(p, from);
                Set<String> only = from.containsAll(sourceTopics) ? null : Set.copyOf(from);
                stream = stream.processValues(() -> new Put(store, only), Named.as(id + "put-" + store), store);
                puts.add(store + (shape != null && shape.caching() ? " (cached)" : "") + (only == null ? ""
                        : " (records of " + only + ")"));
            }
        }
        List<TopologyDescription.Sink> sinks = sub.nodes().stream()
                .filter(n -> n instanceof TopologyDescription.Sink s && s.topic() != null
                        && !reroutes.contains(s.topic()))
                .map(n -> (TopologyDescription.Sink) n).sorted((a, b) -> a.topic().compareTo(b.topic())).toList();
        boolean alternatives = sinks.size() > 1 && splitSeparates(sub, sinks);
        if (alternatives) {
            int n = sinks.size();
            BranchedKStream<byte[], byte[]> split = stream.split(Named.as(id + "split-"));
            for (int i = 0; i < n; i++) {
                int branch = i;
                TopologyDescription.Sink sink = sinks.get(i);
                split = split.branch((k, v) -> Math.floorMod(Arrays.hashCode(k), n) == branch,
                        Branched.withConsumer(s -> output(s, sink, id, repartitionTopics, repartitioned),
                                "b" + i));
            }
        } else {
            for (TopologyDescription.Sink sink : sinks) {
                output(stream, sink, id, repartitionTopics, repartitioned);
            }
        }
        log.add("sub-topology " + sub.id() + ": " + sourceTopics + " -> puts " + puts + " -> "
                + sinks.stream().map(TopologyDescription.Sink::topic).toList() + (alternatives ? " (one of, by key hash)"
                        : ""));
    }

    private static void output(KStream<byte[], byte[]> stream, TopologyDescription.Sink sink, String id,
            Set<String> repartitionTopics, Map<String, KStream<byte[], byte[]>> repartitioned) {
        if (repartitionTopics.contains(sink.topic())) {
            String name = sink.topic().substring(0, sink.topic().length() - "-repartition".length());
            repartitioned.put(sink.topic(), stream.repartition(Repartitioned.with(Serdes.ByteArray(),
                    Serdes.ByteArray()).withName(name)));
        } else {
            stream.to(sink.topic(), Produced.with(Serdes.ByteArray(), Serdes.ByteArray())
                    .withName(id + "sink-" + sink.topic()));
        }
    }

    /**
     * Repartition topics that a sub-topology both writes and reads: reroutes of records that arrived off their key's
     * partition (the order events). The bench's input is placed as the CDC connector places it, so they carry
     * nothing and the copy leaves them out.
     */
    private static Set<String> reroutes(TopologyDescription description) {
        Set<String> loops = new HashSet<>();
        for (TopologyDescription.Subtopology sub : description.subtopologies()) {
            Set<String> read = new HashSet<>();
            Set<String> written = new HashSet<>();
            for (TopologyDescription.Node node : sub.nodes()) {
                if (node instanceof TopologyDescription.Source source) {
                    read.addAll(source.topicSet());
                } else if (node instanceof TopologyDescription.Sink sink && sink.topic() != null) {
                    written.add(sink.topic());
                }
            }
            written.retainAll(read);
            loops.addAll(written);
        }
        return loops;
    }

    /** Whether the sinks lie on different branches of a DSL split (a processor whose children carry its name). */
    private static boolean splitSeparates(TopologyDescription.Subtopology sub, List<TopologyDescription.Sink> sinks) {
        for (TopologyDescription.Node node : sub.nodes()) {
            if (node instanceof TopologyDescription.Processor p && p.successors().size() > 1
                    && p.successors().stream().allMatch(s -> s.name().startsWith(p.name()))) {
                Set<TopologyDescription.Node> reached = new HashSet<>();
                int branchesWithSink = 0;
                for (TopologyDescription.Node child : p.successors()) {
                    Set<String> below = new HashSet<>();
                    collectSinks(child, below);
                    if (sinks.stream().anyMatch(s -> below.contains(s.topic()))) {
                        branchesWithSink++;
                    }
                    reached.add(child);
                }
                if (branchesWithSink > 1) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void collectSinks(TopologyDescription.Node node, Set<String> out) {
        if (node instanceof TopologyDescription.Sink s && s.topic() != null) {
            out.add(s.topic());
        }
        for (TopologyDescription.Node next : node.successors()) {
            collectSinks(next, out);
        }
    }

    private static void sourcesAbove(TopologyDescription.Node node, Set<String> out) {
        if (node instanceof TopologyDescription.Source s) {
            out.addAll(s.topicSet());
        }
        for (TopologyDescription.Node p : node.predecessors()) {
            sourcesAbove(p, out);
        }
    }

    private static int depth(TopologyDescription.Node node) {
        int d = 0;
        for (TopologyDescription.Node p : node.predecessors()) {
            d = Math.max(d, depth(p) + 1);
        }
        return d;
    }

    private StoreBuilder<KeyValueStore<byte[], byte[]>> kv(String name, boolean logging, boolean caching) {
        StoreBuilder<KeyValueStore<byte[], byte[]>> b = Stores.keyValueStoreBuilder(inMemory
                ? Stores.inMemoryKeyValueStore(name) : Stores.persistentKeyValueStore(name), Serdes.ByteArray(),
                Serdes.ByteArray());
        b = logging ? b.withLoggingEnabled(Map.of()) : b.withLoggingDisabled();
        return caching ? b.withCachingEnabled() : b.withCachingDisabled();
    }

    /**
     * Logging and caching of each store of {@code topology}, read from its builder (Kafka Streams internals: the
     * description names stores but does not say whether they are cached).
     */
    static Map<String, StoreShape> storeShapes(Topology topology) {
        Map<String, StoreShape> out = new LinkedHashMap<>();
        try {
            Field f = Topology.class.getDeclaredField("internalTopologyBuilder");
            f.setAccessible(true);
            Object itb = f.get(topology);
            Method stateStores = itb.getClass().getMethod("stateStores");
            @SuppressWarnings("unchecked")
            Map<String, Object> factories = (Map<String, Object>) stateStores.invoke(itb);
            for (Map.Entry<String, Object> e : factories.entrySet()) {
                Object factory = e.getValue();
                boolean logging = (boolean) factory.getClass().getMethod("loggingEnabled").invoke(factory);
                out.put(e.getKey(), new StoreShape(e.getKey(), logging, caching(factory)));
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot read the store builders of the topology", e);
        }
        return out;
    }

    private static boolean caching(Object factory) throws ReflectiveOperationException {
        Field materialized = findField(factory.getClass(), "materialized");
        if (materialized != null) {
            materialized.setAccessible(true);
            Object m = materialized.get(factory);
            Method cachingEnabled = m.getClass().getDeclaredMethod("cachingEnabled");
            cachingEnabled.setAccessible(true);
            return (boolean) cachingEnabled.invoke(m);
        }
        Method builderMethod = factory.getClass().getMethod("builder");
        builderMethod.setAccessible(true);
        Object builder = builderMethod.invoke(factory);
        Field enable = findField(builder.getClass(), "enableCaching");
        if (enable == null) {
            throw new IllegalStateException("no caching flag on " + builder.getClass());
        }
        enable.setAccessible(true);
        return enable.getBoolean(builder);
    }

    private static Field findField(Class<?> type, String name) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            try {
                return c.getDeclaredField(name);
            } catch (NoSuchFieldException e) {
                // keep looking up
            }
        }
        return null;
    }

    /** Puts every record's bytes into its store and forwards it unchanged. */
    private static final class Put implements FixedKeyProcessor<byte[], byte[], byte[]> {
        private final String storeName;
        private final Set<String> onlyTopics;
        private FixedKeyProcessorContext<byte[], byte[]> context;
        private KeyValueStore<byte[], byte[]> store;

        Put(String storeName, Set<String> onlyTopics) {
            this.storeName = storeName;
            this.onlyTopics = onlyTopics;
        }

        @Override
        public void init(FixedKeyProcessorContext<byte[], byte[]> context) {
            this.context = context;
            this.store = context.getStateStore(storeName);
        }

        @Override
        public void process(FixedKeyRecord<byte[], byte[]> record) {
            if (record.key() != null && (onlyTopics == null
                    || onlyTopics.contains(context.recordMetadata().map(m -> m.topic()).orElse("")))) {
                store.put(record.key(), stateValue(record.value()));
            }
            context.forward(record);
        }
    }

    /** Loads a global store with the bytes of its topic. */
    private static final class GlobalPut implements Processor<byte[], byte[], Void, Void> {
        private final String storeName;
        private KeyValueStore<byte[], byte[]> store;

        GlobalPut(String storeName) {
            this.storeName = storeName;
        }

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            this.store = context.getStateStore(storeName);
        }

        @Override
        public void process(Record<byte[], byte[]> record) {
            if (record.key() != null) {
                store.put(record.key(), record.value());
            }
        }
    }

    /**
     * What the copy keeps per record: the first 8 bytes of the value. Sluice's stores hold small values (a timestamp
     * per identity, a stream time, an aggregate of some tens of bytes), not records; putting whole records (~200 B)
     * into every store under unique keys made the copy a RocksDB write-stall benchmark (seen: 300 records/s, the
     * stream thread in RocksDB.put), not a floor for the topology's hops.
     */
    static byte[] stateValue(byte[] value) {
        return value == null ? null : java.util.Arrays.copyOf(value, Math.min(value.length, 8));
    }
}
