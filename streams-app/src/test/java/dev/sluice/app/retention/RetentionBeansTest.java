package dev.sluice.app.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sluice.app.dataset.DatasetDirectory;
import dev.sluice.app.dataset.DatasetSpecParser;

/** A dataset's {@code lake.retention} becomes the janitor's retention of its topics in its zones. */
class RetentionBeansTest {

    @Test
    void aSpecificationsLakeRetentionCoversItsTopicsInItsZones(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("shipments.yaml"), """
                name: shipments
                source:
                  kind: cdc
                  table: public.shipments
                key: [id]
                lake:
                  zones: [bronze, silver]
                  retention: 30d
                """);
        Files.writeString(dir.resolve("parcels.yaml"), """
                name: parcels
                source:
                  kind: cdc
                  table: public.parcels
                key: [id]
                lake:
                  zones: [silver]
                """);

        assertEquals(Map.of("bronze.pg.shipments", Duration.ofDays(30), "silver.shipments", Duration.ofDays(30)),
                RetentionBeans.datasetRetention(new DatasetDirectory(dir, new DatasetSpecParser("shop-cdc"))),
                "parcels has no retention of its own: its zone's applies");
    }
}
