package dev.sluice.connect.s3;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;

/** Collects what a task reports as errant, like a dead letter queue would. */
final class RecordingErrantReporter implements ErrantRecordReporter {

    record Report(SinkRecord record, Throwable error) {
    }

    private final List<Report> reports = new ArrayList<>();

    @Override
    public Future<Void> report(SinkRecord record, Throwable error) {
        reports.add(new Report(record, error));
        return CompletableFuture.completedFuture(null);
    }

    List<Report> reports() {
        return reports;
    }
}
