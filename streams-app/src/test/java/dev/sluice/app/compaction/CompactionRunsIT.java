package dev.sluice.app.compaction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.sluice.embedded.Await;
import dev.sluice.embedded.EmbeddedPlatformExtension;
import dev.sluice.embedded.S3Server;
import dev.sluice.lake.ObjectKeyNamer;
import dev.sluice.lake.ParquetCodec;
import dev.sluice.lake.ParquetFileSettings;
import dev.sluice.lake.ParquetRecordWriter;
import dev.sluice.lake.compaction.CompactionEngine;
import dev.sluice.lake.compaction.CompactionSettings;
import dev.sluice.lake.compaction.CompactionStep;
import dev.sluice.lake.compaction.FaultInjector;
import io.micronaut.context.event.ApplicationEventPublisher;
import software.amazon.awssdk.core.sync.RequestBody;

/** One run at a time: a trigger while a run is going starts nothing, and the run is reported when it ends. */
@ExtendWith(EmbeddedPlatformExtension.class)
class CompactionRunsIT {

    private static final Schema ROW = SchemaBuilder.record("Row").fields().requiredLong("id")
            .requiredInt("__kafka_partition").requiredLong("__kafka_offset").endRecord();

    @Test
    void aTriggerDuringARunStartsNothing(S3Server s3) throws IOException, InterruptedException {
        String prefix = "it-compaction-runs/" + UUID.randomUUID();
        ZonedDateTime hour = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(2, ChronoUnit.HOURS)
                .atZone(ZoneOffset.UTC);
        String path = String.format("year=%04d/month=%02d/day=%02d/hour=%02d", hour.getYear(), hour.getMonthValue(),
                hour.getDayOfMonth(), hour.getHour());
        ObjectKeyNamer namer = new ObjectKeyNamer(prefix);
        for (long start : new long[] {0, 10}) {
            ParquetRecordWriter writer = ParquetRecordWriter.open(s3.client(), new ParquetFileSettings(
                    S3Server.LAKE_BUCKET, ParquetCodec.SNAPPY, 1 << 20, 1 << 20, 5 << 20),
                    namer.dataKey("t", path, 0, start, ParquetCodec.SNAPPY), ROW);
            for (long offset = start; offset < start + 10; offset++) {
                GenericRecord row = new GenericData.Record(ROW);
                row.put("id", offset);
                row.put("__kafka_partition", 0);
                row.put("__kafka_offset", offset);
                writer.write(row);
            }
            writer.commit();
        }
        s3.client().putObject(b -> b.bucket(S3Server.LAKE_BUCKET).key(namer.checkpointKey("t", 0)),
                RequestBody.fromString("next.offset=20"));
        CountDownLatch planned = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        FaultInjector hold = (step, partition) -> {
            if (step == CompactionStep.PLANNED) {
                planned.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        CompactionEngine engine = new CompactionEngine(s3.client(), CompactionSettings.builder(S3Server.LAKE_BUCKET)
                .prefixes(List.of(prefix)).gcGrace(Duration.ZERO).build(), Clock.systemUTC(), hold);
        CompactionRuns runs = new CompactionRuns(engine, null, new CompactionConfiguration(),
                ApplicationEventPublisher.noOp(), Clock.systemUTC());
        try {
            Optional<RunView> first = runs.start(RunView.Trigger.SCHEDULE);
            assertTrue(first.isPresent());
            assertTrue(planned.await(30, TimeUnit.SECONDS), "the run reached its plan");

            assertTrue(runs.start(RunView.Trigger.API).isEmpty(), "a second run does not start");
            assertEquals(first.get().id(), runs.running().orElseThrow().id());
            assertEquals(RunView.Status.RUNNING, runs.find(first.get().id()).orElseThrow().status());

            release.countDown();
            Await.until("the run finished", Duration.ofSeconds(30), () -> runs.running().isEmpty());
            RunView done = runs.lastFinished().orElseThrow();
            assertEquals(first.get().id(), done.id());
            assertEquals(RunView.Status.SUCCEEDED, done.status());
            assertEquals(RunView.Trigger.SCHEDULE, done.trigger());
            assertEquals(1, done.compacted());
            assertEquals(List.of(done), runs.history(10));
            assertTrue(runs.start(RunView.Trigger.API).isPresent(), "after it, runs start again");
        } finally {
            release.countDown();
            runs.stop();
        }
    }
}
