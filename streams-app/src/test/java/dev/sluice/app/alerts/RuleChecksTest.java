package dev.sluice.app.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.sluice.app.failure.ErrorCode;
import dev.sluice.app.failure.Stage;
import dev.sluice.app.metrics.PipelineMetrics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** The metric-based rules read a real Micrometer registry under the names the app (and the freshness work) use. */
class RuleChecksTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private final MeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void slotWalRuleFiresPerSlotAboveTheThresholdInMegabytes() {
        Gauge.builder(SlotWalRule.METRIC, () -> 2048.0 * 1024 * 1024).tags("connector", "pg-shop", "slot", "s1")
                .register(registry);
        Gauge.builder(SlotWalRule.METRIC, () -> 512.0 * 1024 * 1024).tags("connector", "pg-crm", "slot", "s2")
                .register(registry);
        List<Finding> findings = new SlotWalRule(registry, 1024).check(T0);
        assertEquals(1, findings.size());
        assertEquals(Map.of("connector", "pg-shop", "slot", "s1"), findings.get(0).labels());
        assertEquals("slot s1 retains 2048 MB of WAL (threshold 1024 MB)", findings.get(0).summary());
    }

    @Test
    void deadLetterRateRuleComparesThePerMinuteRateSinceTheLastCheck() {
        PipelineMetrics metrics = new PipelineMetrics(registry);
        DeadLetterRateRule rule = new DeadLetterRateRule(registry, 10);
        assertTrue(rule.check(T0).isEmpty(), "no rate before a second sample");
        for (int i = 0; i < 10; i++) {
            metrics.deadLetter(Stage.values()[0], ErrorCode.values()[0]);
        }
        assertTrue(rule.check(T0.plus(Duration.ofMinutes(1))).isEmpty(), "10 per minute is not above 10");
        for (int i = 0; i < 11; i++) {
            metrics.deadLetter(Stage.values()[0], ErrorCode.values()[0]);
        }
        List<Finding> findings = rule.check(T0.plus(Duration.ofMinutes(2)));
        assertEquals(1, findings.size());
        assertEquals("11.0 dead letters per minute (threshold 10.0)", findings.get(0).summary());
    }

    @Test
    void freshnessRuleReadsTheAssumedFreshnessTimerPerLayerAndDataset() {
        FreshnessRule rule = new FreshnessRule(new RegistryFreshnessReadings(registry), 900);
        assertTrue(rule.check(T0).isEmpty(), "no freshness metric yet: nothing fires");
        Timer.builder(RegistryFreshnessReadings.TIMER).tags("layer", "gold", "dataset", "orders").register(registry)
                .record(1200, TimeUnit.SECONDS);
        Timer.builder(RegistryFreshnessReadings.TIMER).tags("layer", "silver", "dataset", "orders")
                .register(registry).record(30, TimeUnit.SECONDS);
        List<Finding> findings = rule.check(T0);
        assertEquals(1, findings.size());
        assertEquals(Map.of("layer", "gold", "dataset", "orders"), findings.get(0).labels());
        assertEquals("gold orders is 1200 s behind (SLA 900 s)", findings.get(0).summary());
    }
}
