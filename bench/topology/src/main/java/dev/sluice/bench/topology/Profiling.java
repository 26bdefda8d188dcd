package dev.sluice.bench.topology;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

import jdk.jfr.Recording;
import one.profiler.AsyncProfiler;

/**
 * async-profiler (from Maven Central, {@code tools.profiler:async-profiler}, native library inside the jar) in this
 * JVM, per-thread, plus for the wall-clock run a JFR recording with the waiting events switched on at threshold 0:
 * thread parks, socket reads and writes, monitor waits and enters, native-method and execution samples every 10 ms,
 * per-thread CPU load every second.
 */
final class Profiling {

    private final Path dir;
    private AsyncProfiler profiler;
    private Recording recording;

    Profiling(Path dir) {
        this.dir = dir;
    }

    void start(String mode) {
        try {
            if (profiler == null) {
                profiler = AsyncProfiler.getInstance();
            }
            String event = mode.startsWith("wall") ? "event=wall,interval=5ms" : "event=cpu,interval=1ms,cstack=vm";
            try {
                profiler.execute("start," + event + ",threads");
            } catch (IllegalStateException | IOException e) {
                if (mode.contains("wall")) {
                    throw e;
                }
                // no perf events here: the timer-based CPU sampler
                profiler.execute("start,event=itimer,interval=1ms,threads");
            }
            if (mode.equals("wall")) {
                recording = new Recording();
                recording.enable("jdk.ThreadPark").withThreshold(Duration.ZERO).withStackTrace();
                recording.enable("jdk.SocketRead").withThreshold(Duration.ZERO).withStackTrace();
                recording.enable("jdk.SocketWrite").withThreshold(Duration.ZERO).withStackTrace();
                recording.enable("jdk.JavaMonitorWait").withThreshold(Duration.ZERO).withStackTrace();
                recording.enable("jdk.JavaMonitorEnter").withThreshold(Duration.ZERO).withStackTrace();
                recording.enable("jdk.ThreadSleep").withThreshold(Duration.ZERO).withStackTrace();
                recording.enable("jdk.NativeMethodSample").withPeriod(Duration.ofMillis(10));
                recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
                recording.enable("jdk.ThreadCPULoad").withPeriod(Duration.ofSeconds(1));
                recording.enable("jdk.GarbageCollection");
                recording.enable("jdk.GCPhasePause");
                recording.setToDisk(true);
                recording.setDestination(dir.resolve("topology.jfr"));
                recording.start();
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot start profiling", e);
        }
    }

    void stop(String mode) {
        try {
            String base = dir.resolve(mode).toString();
            profiler.execute("stop,file=" + base + ".html");
            java.nio.file.Files.writeString(Path.of(base + ".collapsed"), profiler.dumpCollapsed(
                    one.profiler.Counter.SAMPLES));
            if (recording != null) {
                recording.stop();
                recording.close();
                recording = null;
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot stop profiling", e);
        }
    }
}
