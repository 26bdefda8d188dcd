package dev.sluice.app.compaction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.lake.iceberg.IcebergCatalogSettings;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.exceptions.ConfigurationException;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The maintenance job's settings: bad values stop the service with the key named; secrets never printed. */
class IcebergMaintenanceJobTest {

    /**
     * The shipped application.yml binds: its target-file-size "128MB" is a size (it once failed to bind to a long and
     * stopped the service whenever maintenance was on), and its warehouse default keeps its scheme (an unquoted
     * "s3://" default was cut at the colon to "//lake/iceberg").
     */
    @Test
    void theShippedDefaultsBind() {
        try (ApplicationContext context = ApplicationContext.run(Map.of("kafka.enabled", false))) {
            IcebergMaintenanceConfiguration configuration = context.getBean(IcebergMaintenanceConfiguration.class);
            assertEquals(128L * 1024 * 1024, configuration.getTargetFileSize());
            assertEquals("s3://lake/iceberg", configuration.getWarehouse());
        }
    }

    @Test
    void aBadValueNamesItsKey() {
        IcebergMaintenanceConfiguration configuration = new IcebergMaintenanceConfiguration();
        configuration.setMinInputFiles(1);
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> IcebergMaintenanceJob.settings(configuration));
        assertTrue(e.getMessage().startsWith("sluice.iceberg-maintenance.min-input-files"), e.getMessage());
    }

    @Test
    void theCatalogNeedsItsUrlPasswordAndS3Keys() {
        IcebergMaintenanceConfiguration configuration = complete();
        configuration.setCatalogUri(" ");
        assertTrue(message(configuration, s3()).contains("sluice.iceberg-maintenance.catalog-uri"));
        configuration = complete();
        configuration.setCatalogPassword(null);
        assertTrue(message(configuration, s3()).contains("sluice.iceberg-maintenance.catalog-password"));
        CompactionConfiguration.S3 noKeys = s3();
        noKeys.setSecretKey("");
        assertTrue(message(complete(), noKeys).contains("sluice.compaction.s3.secret-key"));
    }

    @Test
    void theCatalogSettingsCarryTheValuesButNeverPrintTheSecrets() {
        IcebergCatalogSettings settings = IcebergCatalogAccess.settings(complete(), s3());
        assertEquals("jdbc:postgresql://127.0.0.1:5432/iceberg_catalog", settings.jdbcUrl());
        assertEquals(URI.create("http://127.0.0.1:9000"), settings.s3Endpoint());
        assertEquals("catalog-secret", settings.password());
        assertFalse(settings.toString().contains("catalog-secret"), settings.toString());
        assertFalse(settings.toString().contains("s3-secret"), settings.toString());
        assertFalse(complete().toString().contains("catalog-secret"));
    }

    private static String message(IcebergMaintenanceConfiguration configuration, CompactionConfiguration.S3 s3) {
        return assertThrows(ConfigurationException.class,
                () -> IcebergCatalogAccess.settings(configuration, s3)).getMessage();
    }

    private static IcebergMaintenanceConfiguration complete() {
        IcebergMaintenanceConfiguration configuration = new IcebergMaintenanceConfiguration();
        configuration.setCatalogUri("jdbc:postgresql://127.0.0.1:5432/iceberg_catalog");
        configuration.setCatalogPassword("catalog-secret");
        return configuration;
    }

    private static CompactionConfiguration.S3 s3() {
        CompactionConfiguration.S3 s3 = new CompactionConfiguration.S3();
        s3.setEndpoint("http://127.0.0.1:9000");
        s3.setAccessKey("s3-access");
        s3.setSecretKey("s3-secret");
        return s3;
    }
}
