package dev.sluice.bench.topology;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * CPU time of every live JVM thread (ThreadMXBean, by thread id and name), of the whole process and of the child
 * JVMs (the registry), at one instant. The difference of two snapshots, grouped by thread name, says who burned the
 * CPU of a run.
 */
final class CpuSnapshot {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final long CLOCK_TICK_NS = 10_000_000L; // USER_HZ = 100 on Linux

    final Map<Long, Long> byThread = new HashMap<>();
    final Map<Long, String> names = new HashMap<>();
    final long process;
    final long children;
    final long at = System.nanoTime();

    private CpuSnapshot() {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            long cpu = THREADS.getThreadCpuTime(t.getId());
            if (cpu >= 0) {
                byThread.put(t.getId(), cpu);
                names.put(t.getId(), t.getName());
            }
        }
        process = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
        children = ProcessHandle.current().descendants().mapToLong(CpuSnapshot::procCpu).sum();
    }

    static CpuSnapshot take() {
        return new CpuSnapshot();
    }

    /** CPU ns between {@code before} and this snapshot of the threads whose name contains {@code part}. */
    long threads(CpuSnapshot before, String part) {
        return threads(before, name -> name.contains(part));
    }

    /** CPU ns between {@code before} and this snapshot of the threads whose name passes {@code test}. */
    long threads(CpuSnapshot before, java.util.function.Predicate<String> test) {
        long sum = 0;
        for (Map.Entry<Long, Long> e : byThread.entrySet()) {
            if (test.test(names.get(e.getKey()))) {
                sum += e.getValue() - before.byThread.getOrDefault(e.getKey(), 0L);
            }
        }
        return sum;
    }

    /** CPU ns of all JVM threads (not GC or native threads such as RocksDB's) between the snapshots. */
    long allThreads(CpuSnapshot before) {
        return threads(before, "");
    }

    private static long procCpu(ProcessHandle p) {
        try {
            String stat = Files.readString(Path.of("/proc/" + p.pid() + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * CLOCK_TICK_NS;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
