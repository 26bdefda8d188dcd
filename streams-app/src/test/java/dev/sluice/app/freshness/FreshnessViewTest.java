package dev.sluice.app.freshness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/** The SLA evaluation of the status API, and the metric as Prometheus scrapes it. */
class FreshnessViewTest {

    private final MockClock clock = new MockClock();
    private final FreshnessMetrics freshness = new FreshnessMetrics(new SimpleMeterRegistry(SimpleConfig.DEFAULT,
            clock));

    @Test
    void aDatasetWithinItsSlaMeetsItAndOneBeyondBreachesIt() {
        FreshnessSettings settings = FreshnessSettings.parse(Map.of("default-sla", "1m", "sla.orders", "20s"));
        for (int i = 0; i < 50; i++) {
            measure(Layer.SILVER, "orders", 10);
            measure(Layer.SILVER, "customers", 10);
        }
        measure(Layer.SILVER, "orders", 40);
        measure(Layer.SILVER, "orders", 40);

        FreshnessView view = FreshnessView.of(freshness.readings(), settings);

        assertEquals(FreshnessMetrics.WINDOW.toSeconds(), view.windowSeconds());
        FreshnessView.Entry customers = entry(view, "customers", "silver");
        assertEquals(FreshnessView.SlaState.MET, customers.sla());
        assertEquals(60, customers.slaSeconds());
        assertEquals(10, customers.p50Seconds(), 1, "p50 of the window, to the histogram's precision");
        assertEquals(50, customers.count());
        FreshnessView.Entry orders = entry(view, "orders", "silver");
        assertEquals(20, orders.slaSeconds(), "the dataset's own SLA");
        assertEquals(FreshnessView.SlaState.BREACHED, orders.sla(), "p99 " + orders.p99Seconds() + " s > 20 s");
        assertEquals(40, orders.maxSeconds(), 0.001);
        assertEquals(List.of("customers", "orders"), view.datasets().stream().map(FreshnessView.Entry::dataset)
                .toList());
    }

    @Test
    void aSpecificationsSlaOverridesTheDefaultAndAConfiguredDatasetSlaOverridesIt() {
        FreshnessSettings settings = FreshnessSettings.parse(Map.of("default-sla", "1m", "sla.orders", "20s"))
                .withDatasetSlas(Map.of("shipments", Duration.ofSeconds(30), "orders", Duration.ofMinutes(9)));

        assertEquals(Duration.ofSeconds(30), settings.slaOf("shipments"), "the specification's freshness.sla");
        assertEquals(Duration.ofSeconds(20), settings.slaOf("orders"), "sluice.freshness.sla.orders wins");
        assertEquals(Duration.ofMinutes(1), settings.slaOf("customers"), "the default");
        measure(Layer.SILVER, "shipments", 40);
        assertEquals(FreshnessView.SlaState.BREACHED,
                entry(FreshnessView.of(freshness.readings(), settings), "shipments", "silver").sla());
    }

    @Test
    void nothingMeasuredWithinTheWindowIsNoDataNotMet() {
        FreshnessSettings settings = FreshnessSettings.parse(Map.of());
        measure(Layer.GOLD, "customer_totals", 500);
        assertEquals(FreshnessView.SlaState.BREACHED,
                entry(FreshnessView.of(freshness.readings(), settings), "customer_totals", "gold").sla());

        clock.add(FreshnessMetrics.WINDOW.plusSeconds(1));

        FreshnessView.Entry entry = entry(FreshnessView.of(freshness.readings(), settings), "customer_totals", "gold");
        assertEquals(FreshnessView.SlaState.NO_DATA, entry.sla());
        assertNull(entry.p99Seconds());
        assertEquals(1, entry.count());
        assertEquals(Instant.ofEpochMilli(clock.wallTime()).minus(FreshnessMetrics.WINDOW.plusSeconds(1)).toString(),
                entry.lastMeasured());
    }

    @Test
    void aSourceClockAheadOfOursCountsAsZero() {
        freshness.record(Layer.BRONZE, "orders", clock.wallTime() + 5000, clock.wallTime());
        assertEquals(0, freshness.timer(Layer.BRONZE, "orders").totalTime(TimeUnit.MILLISECONDS));
        assertEquals(1, freshness.timer(Layer.BRONZE, "orders").count());
    }

    @Test
    void settingsAreCheckedAndTheErrorNamesTheKey() {
        assertEquals("sluice.freshness.sla.orders: must be a positive duration such as 5m",
                assertThrows(IllegalArgumentException.class,
                        () -> FreshnessSettings.parse(Map.of("sla.orders", "0s"))).getMessage());
        assertEquals("sluice.freshness.sla.orders: 'soon' is not a duration (e.g. 500ms, 30s, 5m, 2h, 7d)",
                assertThrows(IllegalArgumentException.class,
                        () -> FreshnessSettings.parse(Map.of("sla.orders", "soon"))).getMessage());
        assertEquals("sluice.freshness.default: unknown setting (default-sla, sla.<dataset>, lake-interval)",
                assertThrows(IllegalArgumentException.class,
                        () -> FreshnessSettings.parse(Map.of("default", "5m"))).getMessage());
        FreshnessSettings settings = FreshnessSettings.parse(Map.of("sla.order_lines", Duration.ofSeconds(90)));
        assertEquals(Duration.ofSeconds(90), settings.slaOf("order_lines"), "dataset names keep their underscores");
        assertEquals(Duration.ofMinutes(5), settings.slaOf("orders"), "the default default");
        assertEquals(Duration.ofSeconds(15), settings.lakeInterval(), "the lake sinks' commits every 15 s");
        assertEquals(Duration.ofSeconds(2), FreshnessSettings.parse(Map.of("lake.interval", "2s")).lakeInterval(),
                "as SLUICE_FRESHNESS_LAKE_INTERVAL sets it");
        assertEquals("sluice.freshness.lake-interval: must be a positive duration such as 5m",
                assertThrows(IllegalArgumentException.class,
                        () -> FreshnessSettings.parse(Map.of("lake-interval", "0s"))).getMessage());
    }

    @Test
    void prometheusScrapesAHistogramPerLayerAndDataset() {
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        FreshnessMetrics scraped = new FreshnessMetrics(prometheus);
        long now = System.currentTimeMillis();
        scraped.record(Layer.SILVER, "orders", now - 3000, now);
        scraped.record(Layer.SILVER, "orders", now - 200_000, now);

        String text = prometheus.scrape();

        assertTrue(text.contains("sluice_freshness_seconds_bucket{dataset=\"orders\",layer=\"silver\",le=\"5.0\"} 1"),
                text);
        assertTrue(text.contains("sluice_freshness_seconds_bucket{dataset=\"orders\",layer=\"silver\",le=\"300.0\"} 2"),
                text);
        assertTrue(text.contains("sluice_freshness_seconds_count{dataset=\"orders\",layer=\"silver\"} 2"), text);
    }

    private void measure(Layer layer, String dataset, long seconds) {
        freshness.record(layer, dataset, clock.wallTime() - seconds * 1000, clock.wallTime());
    }

    private static FreshnessView.Entry entry(FreshnessView view, String dataset, String layer) {
        return view.datasets().stream().filter(e -> e.dataset().equals(dataset) && e.layer().equals(layer))
                .findFirst().orElseThrow();
    }
}
