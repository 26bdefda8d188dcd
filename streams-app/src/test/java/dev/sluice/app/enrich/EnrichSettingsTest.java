package dev.sluice.app.enrich;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.exceptions.BeanInstantiationException;

/** The TTL settings of {@code enrich.orders} as the service binds them from its configuration. */
class EnrichSettingsTest {

    @Test
    void theShippedConfigurationBindsTheOrderTtl() {
        try (ApplicationContext context = ApplicationContext.run(Map.of("kafka.enabled", "false"))) {
            EnrichSettings settings = context.getBean(EnrichSettings.class);
            assertEquals(Set.of("DELIVERED", "CANCELLED", "REFUNDED"), settings.getTerminalStatuses());
            assertEquals(Duration.ofDays(7), settings.getTerminalOrderTtl());
            assertEquals(Duration.ofDays(90), settings.getOrderMaxAge());
            assertEquals(Duration.ofSeconds(1), settings.getOrderSweepInterval());
            assertEquals(1000, settings.getOrderSweepBudget());
        }
    }

    @Test
    void overridesBindAndAWrongValueNamesItsKey() {
        try (ApplicationContext context = ApplicationContext.run(Map.of("kafka.enabled", "false",
                "sluice.enrich.terminal-statuses", "CLOSED", "sluice.enrich.order-max-age", "30d"))) {
            EnrichSettings settings = context.getBean(EnrichSettings.class);
            assertEquals(Set.of("CLOSED"), settings.getTerminalStatuses());
            assertEquals(Duration.ofDays(30), settings.getOrderMaxAge());
        }
        try (ApplicationContext context = ApplicationContext.run(Map.of("kafka.enabled", "false",
                "sluice.enrich.order-sweep-budget", "0"))) {
            BeanInstantiationException e = assertThrows(BeanInstantiationException.class,
                    () -> context.getBean(EnrichSettings.class));
            assertTrue(e.getMessage().contains("sluice.enrich.order-sweep-budget"), e.getMessage());
        }
    }
}
