package dev.sluice.bench.topology;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Reads the profiles {@link Profiling} wrote and splits the stream thread's time into causes: from the wall-clock
 * profile what it did and waited for (every sample of the thread, running or not), from the CPU profile where its CPU
 * went and which threads of the process burned CPU, and from the JFR recording the parks, socket reads and native
 * samples of the stream thread with their durations. Each sample goes to the first cause in {@link #CAUSES} that its
 * stack matches.
 */
final class ProfileReport {

    private record Cause(String name, Predicate<String> matches) {
    }

    private static Predicate<String> has(String... parts) {
        return stack -> {
            for (String p : parts) {
                if (stack.contains(p)) {
                    return true;
                }
            }
            return false;
        };
    }

    private static final Predicate<String> WAITING = stack -> {
        String leaf = stack.substring(stack.lastIndexOf(';') + 1);
        return leaf.contains("park") || leaf.contains("epoll_wait") || leaf.contains("epollWait")
                || leaf.contains("Object.wait") || leaf.contains("pthread_cond") || leaf.contains("__futex")
                || leaf.contains("futex") || leaf.contains("do_syscall") || leaf.contains("[unknown]")
                || leaf.contains("sleep") || leaf.contains("Thread.yield") || leaf.contains("socketRead")
                || leaf.contains("recv") || leaf.contains("poll");
    };

    private static final Predicate<String> BLOCKED = stack -> {
        String leaf = stack.substring(stack.lastIndexOf(';') + 1);
        return leaf.contains("futex") || leaf.contains("lll_lock") || leaf.contains("pthread_cond")
                || leaf.contains("sched_yield") || leaf.contains("nanosleep") || leaf.contains("usleep");
    };

    /** In priority order: a sample goes to the first cause whose test its stack passes. */
    private static final List<Cause> CAUSES = List.of(
            new Cause("profiler overhead (thread suspended by JFR's sampler: SR_handler)", has("SR_handler")),
            new Cause("EOS commit: commitTransaction (EndTxn round trip)", has("commitTransaction")),
            new Cause("EOS commit: producer flush", has("KafkaProducer.flush")),
            new Cause("EOS commit: sendOffsetsToTransaction", has("sendOffsetsToTransaction")),
            new Cause("EOS: beginTransaction / other transaction calls", has("beginTransaction",
                    "maybeBeginTransaction", "TransactionManager")),
            new Cause("registry HTTP (blocking call from the stream thread)", has("java/net/http", "java.net.http",
                    "HttpClientImpl", "io/apicurio/registry/rest/client", "io.apicurio.registry.rest.client",
                    "ERCache.getValue")),
            new Cause("consumer poll: waiting for records", has("KafkaConsumer.poll", "ClassicKafkaConsumer.poll",
                    "AsyncKafkaConsumer.poll", "pollRequests").and(WAITING)),
            new Cause("consumer poll: fetch parsing / other", has("KafkaConsumer.poll", "ClassicKafkaConsumer.poll",
                    "AsyncKafkaConsumer.poll", "pollRequests")),
            new Cause("enricher retry punctuation (OrderEnricher.retryAll, once a second)", has("retryAll")),
            new Cause("RocksDB write stall (put/delete blocked in RocksDB: memtables full, flush pending)",
                    has("RocksDB.put", "RocksDB.delete", "RocksDB.write", "RocksDB.merge").and(BLOCKED)),
            new Cause("RocksDB iterators (window fetch / range / prefix scans)", has("RocksIterator",
                    "RocksDBRangeIterator", "RocksDbIterator", "RocksDBIterator", "DBIter", "prefixScan",
                    "SegmentIterator", "findSessions", "fetchSession", "WindowStore.fetch", "newIterator")
                    .and(has("org/rocksdb", "org.rocksdb", "rocksdb::", "RocksDB", "Segment"))),
            new Cause("RocksDB point reads and writes (get / put / delete, JNI)", has("org/rocksdb", "org.rocksdb",
                    "rocksdb::")),
            new Cause("Avro schema resolution (Resolver / new reader per record)", has("avro/Resolver",
                    "avro.Resolver", "FastReaderBuilder.createDatumReader", "Schema.applyAliases",
                    "SchemaCompatibility", "ResolvingGrammarGenerator")),
            new Cause("schema rendering / parsing to JSON (Schema.toString, Jackson)", has("Schema.toString",
                    "Schema$RecordSchema.toJson", "Schema.toJson", "AvroSchemaParser", "JsonGenerator",
                    "Schema$Parser.parse", "avro/Schema.toString")),
            new Cause("Kafka producer send (accumulator, partitioner)", has("KafkaProducer.send",
                    "KafkaProducer.doSend")),
            new Cause("Avro encode / decode", has("org/apache/avro", "org.apache.avro")),
            new Cause("Apicurio serde (other)", has("io/apicurio", "io.apicurio")),
            new Cause("Sluice metrics (Micrometer)", has("PipelineMetrics", "io/micrometer", "io.micrometer")),
            new Cause("Sluice validation", has("dev/sluice/app/validate", "dev.sluice.app.validate")),
            new Cause("Sluice other code (mapping, lineage, enrich, dedupe, aggregate)", has("dev/sluice",
                    "dev.sluice")),
            new Cause("punctuation (other)", has("punctuate")),
            new Cause("Kafka Streams (nodes, caches, record collector, task loop)", has("org/apache/kafka/streams",
                    "org.apache.kafka.streams")),
            new Cause("other", s -> true));

    private final Path dir;

    ProfileReport(Path dir) {
        this.dir = dir;
    }

    /** Reads the profiles in the directory given as the argument again (bench/topology/README.md). */
    public static void main(String[] args) throws IOException {
        new ProfileReport(Path.of(args[0])).print(System.out);
    }

    void print(PrintStream out) throws IOException {
        for (String mode : List.of("wall", "cpu", "wall-bytecopy", "cpu-bytecopy", "harness-cpu")) {
            Path file = dir.resolve(mode + ".collapsed");
            if (!Files.exists(file)) {
                continue;
            }
            String threadName = mode.startsWith("harness") ? "[main" : "StreamThread-1";
            Map<String, Long> stacks = read(file);
            out.printf("%n== %s profile (async-profiler), %s thread, by cause ==%n", mode,
                    mode.startsWith("harness") ? "TopologyTestDriver (main)" : "stream");
            Map<String, Long> byCause = new LinkedHashMap<>();
            CAUSES.forEach(c -> byCause.put(c.name(), 0L));
            long total = 0;
            for (Map.Entry<String, Long> e : stacks.entrySet()) {
                if (!isThread(e.getKey(), threadName)) {
                    continue;
                }
                total += e.getValue();
                for (Cause c : CAUSES) {
                    if (c.matches().test(e.getKey())) {
                        byCause.merge(c.name(), e.getValue(), Long::sum);
                        break;
                    }
                }
            }
            long t = Math.max(total, 1);
            out.printf("  %,d samples of the stream thread%n", total);
            byCause.forEach((k, v) -> {
                if (v > 0) {
                    out.printf("  %5.1f%%  %s%n", 100.0 * v / t, k);
                }
            });
            if (mode.startsWith("cpu")) {
                out.println("  CPU samples by thread group (whole process):");
                Map<String, Long> groups = new LinkedHashMap<>();
                long all = 0;
                for (Map.Entry<String, Long> e : stacks.entrySet()) {
                    groups.merge(threadGroup(e.getKey()), e.getValue(), Long::sum);
                    all += e.getValue();
                }
                long a = Math.max(all, 1);
                groups.entrySet().stream().sorted((x, y) -> Long.compare(y.getValue(), x.getValue()))
                        .forEach(e -> out.printf("  %5.1f%%  %s%n", 100.0 * e.getValue() / a, e.getKey()));
            }
            out.println("  top leaf frames of the stream thread:");
            Map<String, Long> leaves = new HashMap<>();
            stacks.forEach((k, v) -> {
                if (isThread(k, threadName)) {
                    leaves.merge(k.substring(k.lastIndexOf(';') + 1), v, Long::sum);
                }
            });
            leaves.entrySet().stream().sorted((x, y) -> Long.compare(y.getValue(), x.getValue())).limit(15)
                    .forEach(e -> out.printf("  %5.1f%%  %s%n", 100.0 * e.getValue() / t, e.getKey()));
        }
        Path jfr = dir.resolve("topology.jfr");
        if (Files.exists(jfr)) {
            jfr(jfr, out);
        }
    }

    /** Whether the stack's thread (its first frame) is the one named, not its producer's I/O thread. */
    private static boolean isThread(String stack, String name) {
        String thread = stack.substring(0, Math.max(stack.indexOf(';'), 0));
        return thread.contains(name) && !thread.contains("producer");
    }

    private static String threadGroup(String stack) {
        String thread = stack.substring(0, Math.max(stack.indexOf(';'), 0));
        if (thread.contains("StreamThread") && thread.contains("producer")) {
            return "stream thread's producer I/O thread";
        }
        if (thread.contains("StreamThread")) {
            return "stream thread";
        }
        if (thread.contains("GlobalStreamThread")) {
            return "global stream thread";
        }
        if (thread.contains("kafka-producer-network-thread") || thread.contains("consumer_background")
                || thread.contains("heartbeat") || thread.contains("admin-client")) {
            return "other client I/O threads";
        }
        if (thread.contains("rocksdb")) {
            return "RocksDB background threads";
        }
        if (thread.contains("GC") || thread.contains("VM Thread") || thread.contains("Compiler")
                || thread.contains("C1") || thread.contains("C2")) {
            return "JVM (GC, JIT, VM thread)";
        }
        if (thread.contains("bench-progress")) {
            return "bench sampler";
        }
        return "broker and other threads";
    }

    private static Map<String, Long> read(Path file) throws IOException {
        Map<String, Long> out = new HashMap<>();
        for (String line : Files.readAllLines(file)) {
            int space = line.lastIndexOf(' ');
            if (space > 0) {
                out.merge(line.substring(0, space), Long.parseLong(line.substring(space + 1).trim()), Long::sum);
            }
        }
        return out;
    }

    /** Durations of the stream thread's parks, socket reads and monitor waits by the first Kafka/app frame. */
    private static void jfr(Path file, PrintStream out) throws IOException {
        Map<String, Map<String, long[]>> byType = new LinkedHashMap<>();
        Map<String, Long> nativeSamples = new HashMap<>();
        Map<String, Long> execSamples = new HashMap<>();
        List<Double> cpuLoad = new ArrayList<>();
        long first = Long.MAX_VALUE;
        long last = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
            String type = e.getEventType().getName();
            first = Math.min(first, e.getStartTime().toEpochMilli());
            last = Math.max(last, e.getEndTime().toEpochMilli());
            RecordedThread thread = e.getThread() != null ? e.getThread()
                    : e.hasField("sampledThread") ? e.getThread("sampledThread") : null;
            if (type.equals("jdk.ThreadCPULoad") && thread != null && thread.getJavaName() != null
                    && thread.getJavaName().contains("StreamThread-1")) {
                cpuLoad.add((double) e.getFloat("user") + e.getFloat("system"));
                continue;
            }
            if (thread == null || thread.getJavaName() == null || !thread.getJavaName().contains("StreamThread-1")
                    || thread.getJavaName().contains("producer")) {
                continue;
            }
            String where = where(e);
            switch (type) {
                case "jdk.NativeMethodSample" -> nativeSamples.merge(top(e), 1L, Long::sum);
                case "jdk.ExecutionSample" -> execSamples.merge(where, 1L, Long::sum);
                default -> {
                    long[] acc = byType.computeIfAbsent(type, t -> new HashMap<>()).computeIfAbsent(where,
                            w -> new long[2]);
                    acc[0]++;
                    acc[1] += Duration.between(e.getStartTime(), e.getEndTime()).toNanos();
                }
            }
        }
        double seconds = (last - first) / 1000.0;
        out.printf("%n== JFR (%.0f s recorded), stream thread ==%n", seconds);
        out.printf("  jdk.ThreadCPULoad: mean %.0f%% of one core over %d samples%n",
                100 * cpuLoad.stream().mapToDouble(d -> d).average().orElse(Double.NaN), cpuLoad.size());
        for (Map.Entry<String, Map<String, long[]>> t : byType.entrySet()) {
            long count = t.getValue().values().stream().mapToLong(a -> a[0]).sum();
            long nanos = t.getValue().values().stream().mapToLong(a -> a[1]).sum();
            out.printf("  %s: %,d events, %.1f s in total = %.1f%% of the recording%n", t.getKey(), count,
                    nanos / 1e9, 100 * nanos / 1e9 / seconds);
            t.getValue().entrySet().stream().sorted((x, y) -> Long.compare(y.getValue()[1], x.getValue()[1]))
                    .limit(10).forEach(e -> out.printf("      %6.1f%% %,9d x  %s%n", 100 * e.getValue()[1] / 1e9
                            / seconds, e.getValue()[0], e.getKey()));
        }
        long natives = nativeSamples.values().stream().mapToLong(l -> l).sum();
        long execs = execSamples.values().stream().mapToLong(l -> l).sum();
        out.printf("  jdk.NativeMethodSample: %,d samples (in native code), jdk.ExecutionSample: %,d (in Java)%n",
                natives, execs);
        nativeSamples.entrySet().stream().sorted((x, y) -> Long.compare(y.getValue(), x.getValue())).limit(8)
                .forEach(e -> out.printf("      %5.1f%% of native  %s%n", 100.0 * e.getValue() / Math.max(natives, 1),
                        e.getKey()));
    }

    /** The first frame from the top of the stack that is Kafka's, Sluice's or a library's (not the JDK's). */
    private static String where(RecordedEvent e) {
        if (e.getStackTrace() == null) {
            return "?";
        }
        StringBuilder path = new StringBuilder();
        for (RecordedFrame f : e.getStackTrace().getFrames()) {
            String type = f.getMethod().getType().getName();
            if (type.startsWith("java.") || type.startsWith("jdk.") || type.startsWith("sun.")) {
                continue;
            }
            path.append(simple(type)).append('.').append(f.getMethod().getName());
            if (path.length() > 0) {
                break;
            }
        }
        return path.length() == 0 ? "?" : path.toString() + callerOf(e);
    }

    /** The caller that says why, e.g. TransactionManager under commitTransaction, up to a few Kafka frames. */
    private static String callerOf(RecordedEvent e) {
        List<String> frames = new ArrayList<>();
        for (RecordedFrame f : e.getStackTrace().getFrames()) {
            String type = f.getMethod().getType().getName();
            if (type.startsWith("org.apache.kafka") || type.startsWith("io.apicurio") || type.startsWith("dev.")) {
                frames.add(simple(type) + "." + f.getMethod().getName());
            }
        }
        return frames.size() <= 1 ? "" : " <- " + String.join(" <- ", frames.subList(1, Math.min(frames.size(), 4)));
    }

    private static String top(RecordedEvent e) {
        if (e.getStackTrace() == null || e.getStackTrace().getFrames().isEmpty()) {
            return "?";
        }
        RecordedFrame f = e.getStackTrace().getFrames().get(0);
        return simple(f.getMethod().getType().getName()) + "." + f.getMethod().getName() + callerOf(e);
    }

    private static String simple(String type) {
        return type.substring(type.lastIndexOf('.') + 1);
    }
}
