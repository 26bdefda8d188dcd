package dev.sluice.embedded;

import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * Entry point of every child JVM the platform starts: it runs the real main class and exits the JVM as soon as
 * the parent process is gone. A parent killed with SIGKILL cannot run its shutdown hooks, and without this its
 * servers would live on as orphans holding their ports.
 *
 * <p>Usage: {@code java -cp <server jars>:<this jar> dev.sluice.embedded.ParentWatchdog <main class> <args...>}
 */
public final class ParentWatchdog {

    private static final long CHECK_INTERVAL_MS = 500;

    private ParentWatchdog() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: ParentWatchdog <main class> [args...]");
            System.exit(2);
        }
        ProcessHandle.current().parent().ifPresent(ParentWatchdog::watch);
        Class<?> mainClass = Class.forName(args[0]);
        Method main = mainClass.getMethod("main", String[].class);
        main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
    }

    private static void watch(ProcessHandle parent) {
        Thread watcher = new Thread(() -> {
            while (parent.isAlive()) {
                try {
                    Thread.sleep(CHECK_INTERVAL_MS);
                } catch (InterruptedException e) {
                    return;
                }
            }
            System.err.println("parent process " + parent.pid() + " is gone; exiting");
            System.exit(0);
        }, "parent-watchdog");
        watcher.setDaemon(true);
        watcher.start();
    }
}
