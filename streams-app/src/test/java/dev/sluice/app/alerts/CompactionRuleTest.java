package dev.sluice.app.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.sluice.app.compaction.CompactionConfiguration;
import dev.sluice.app.compaction.CompactionRuns;
import dev.sluice.app.compaction.RunView;
import dev.sluice.embedded.Await;
import dev.sluice.lake.compaction.CompactionEngine;
import dev.sluice.lake.compaction.CompactionSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micronaut.context.event.ApplicationEventPublisher;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * compaction-failing over real {@link CompactionRuns}: quiet while compaction is off or has not run, firing with
 * the run's id and error once a run really failed (its S3 endpoint is a closed port on the loopback). A later run
 * that succeeds resolves it: {@code KafkaAlertRulesIT}, which has an S3 server.
 */
class CompactionRuleTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void quietWhileCompactionIsOff() {
        CompactionRuns off = new CompactionRuns(null, null, new CompactionConfiguration(),
                ApplicationEventPublisher.noOp(), Clock.systemUTC());
        assertEquals(List.of(), new CompactionRule(off, new ExportedReadings(registry)).check(T0));
        assertEquals(0.0, failedReading());
    }

    @Test
    void firesWithTheRunAndTheFirstLineOfItsErrorWhenTheLastRunFailed() throws Exception {
        try (S3Client unreachable = S3Client.builder().endpointOverride(URI.create("http://127.0.0.1:" + closedPort()))
                .region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b"))).build()) {
            CompactionRuns runs = new CompactionRuns(new CompactionEngine(unreachable,
                    CompactionSettings.builder("lake").build()), null, new CompactionConfiguration(),
                    ApplicationEventPublisher.noOp(), Clock.systemUTC());
            CompactionRule rule = new CompactionRule(runs, new ExportedReadings(registry));
            assertEquals(List.of(), rule.check(T0), "no run finished yet");
            assertEquals(0.0, failedReading());

            long id = runs.start(RunView.Trigger.API).orElseThrow().id();
            Await.until("the run finished", Duration.ofSeconds(60), () -> runs.lastFinished().isPresent());
            RunView run = runs.lastFinished().orElseThrow();
            assertEquals(RunView.Status.FAILED, run.status(), "S3 does not answer");

            List<Finding> findings = rule.check(T0);
            assertEquals(1, findings.size());
            assertEquals(Map.of(), findings.get(0).labels(), "one alert for the lake");
            String summary = findings.get(0).summary();
            assertTrue(summary.startsWith("compaction run " + id + " failed: listing the lake failed: "), summary);
            assertFalse(summary.contains("\n"), "the first line of the error only");
            assertEquals(1.0, failedReading());
        }
    }

    private double failedReading() {
        return registry.get("sluice.lake.compaction.last.run.failed").gauge().value();
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
