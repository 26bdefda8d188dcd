package dev.sluice.app.retention;

import dev.sluice.lake.retention.JanitorReport;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;

/**
 * Counters of what retention deleted, in Micrometer (on {@code /prometheus}): {@value #PARTITIONS},
 * {@value #OBJECTS}, {@value #BYTES}, {@value #UPLOADS}, and {@value #FAILURES} (partitions and uploads that
 * failed). Dry runs count nothing.
 */
@Singleton
public class RetentionMetrics {

    public static final String PARTITIONS = "sluice.lake.retention.partitions.deleted";
    public static final String OBJECTS = "sluice.lake.retention.objects.deleted";
    public static final String BYTES = "sluice.lake.retention.bytes.deleted";
    public static final String UPLOADS = "sluice.lake.retention.uploads.aborted";
    public static final String FAILURES = "sluice.lake.retention.failures";

    private final Counter partitions;
    private final Counter objects;
    private final Counter bytes;
    private final Counter uploads;
    private final Counter failures;

    public RetentionMetrics(MeterRegistry registry) {
        partitions = registry.counter(PARTITIONS);
        objects = registry.counter(OBJECTS);
        bytes = registry.counter(BYTES);
        uploads = registry.counter(UPLOADS);
        failures = registry.counter(FAILURES);
    }

    void record(JanitorReport report) {
        if (report.dryRun()) {
            return;
        }
        partitions.increment(report.partitionsDeleted());
        objects.increment(report.objectsDeleted());
        bytes.increment(report.bytesDeleted());
        uploads.increment(report.uploadsAborted());
        failures.increment(report.failures());
    }
}
