package dev.sluice.devstack;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import dev.sluice.devstack.terminal.IcebergLakeFiles;
import dev.sluice.devstack.terminal.LakeFiles;
import dev.sluice.devstack.terminal.LakeWrites;
import dev.sluice.devstack.terminal.StatusReporter;
import dev.sluice.embedded.ComponentStartException;
import dev.sluice.embedded.S3Server;

/**
 * {@code ./sluice up}: starts the platform, prints one ready block with every endpoint, then a status line per
 * {@code --status-interval} and a line per state change ({@link StatusReporter}), and runs until Ctrl-C or
 * SIGTERM, when it stops every component. Exit codes: 0 after a clean stop, 1 when a component did not come up,
 * 2 for a usage error.
 */
public final class SluiceUp {

    private SluiceUp() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
            System.out.print(DevstackSettings.help());
            return;
        }
        DevstackSettings settings = DevstackSettings.ofCommandLine(args);
        // Before the first logger exists: logback.xml writes platform.log there.
        System.setProperty("sluice.log.dir", settings.stateDir().toString());
        Instant begin = Instant.now();
        Devstack devstack = new Devstack(settings);
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicReference<StatusReporter> reporter = new AtomicReference<>();
        AtomicReference<LakeWrites> lake = new AtomicReference<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("sluice: stopping");
            // No status lines about components going away on purpose.
            if (reporter.get() != null) {
                reporter.get().close();
            }
            if (lake.get() instanceof IcebergLakeFiles catalog) {
                try {
                    catalog.close();
                } catch (IOException e) {
                    System.err.println("sluice: closing the Iceberg catalog: " + e);
                }
            }
            devstack.close();
            stopped.countDown();
        }, "sluice-shutdown"));
        try {
            devstack.start();
        } catch (ComponentStartException e) {
            System.err.println("sluice: failed to start " + e.getMessage());
            System.exit(1);
            return;
        }
        System.out.print(devstack.readyReport());
        System.out.printf("sluice: ready in %.1f s%n", Duration.between(begin, Instant.now()).toMillis() / 1000.0);
        System.out.flush();
        // The Parquet sinks' files are objects of the S3 server's directory; the Iceberg tables' are their commits.
        lake.set(settings.lakeFormat() == LakeFormat.ICEBERG
                ? new IcebergLakeFiles(DemoConnectors.icebergCatalog(devstack.postgres(), devstack.s3()),
                        Clock.systemUTC())
                : new LakeFiles(settings.stateDir().resolve("s3/data/" + S3Server.LAKE_BUCKET)));
        reporter.set(new StatusReporter(() -> devstack.app().url(), devstack.apiToken(), lake.get(),
                settings.statusInterval()));
        reporter.get().start();
        stopped.await();
    }
}
