package dev.sluice.devstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class DevstackSettingsTest {

    private static final Path HOME = Path.of("/repo");

    @Test
    void defaultsArePublishedPortsAndStateUnderTheRepository() {
        DevstackSettings settings = DevstackSettings.parse(HOME, List.of(), Map.of());
        assertEquals(9092, settings.kafkaPort());
        assertEquals(8083, settings.connectPort());
        assertEquals(5432, settings.postgresPort());
        assertEquals(Path.of("/repo/.sluice/state"), settings.stateDir());
        assertTrue(settings.generator());
        assertFalse(settings.fresh());
        assertEquals(0.02, settings.badRatio());
        assertEquals("1GB", settings.postgresMaxSlotWalKeepSize());
    }

    @Test
    void theStatusLineComesEvery30SecondsUnlessToldOtherwise() {
        assertEquals(Duration.ofSeconds(30), DevstackSettings.parse(HOME, List.of(), Map.of()).statusInterval());
        assertEquals(Duration.ofMillis(2500), DevstackSettings.parse(HOME, List.of("--status-interval", "2.5"),
                Map.of()).statusInterval());
        assertEquals(Duration.ofSeconds(60), DevstackSettings.parse(HOME, List.of(),
                Map.of("SLUICE_STATUS_INTERVAL", "60")).statusInterval());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DevstackSettings.parse(HOME,
                List.of("--status-interval", "0"), Map.of())).getMessage().contains("--status-interval"));
    }

    @Test
    void theWalASlotMayHoldBackIsASizeOrUnbounded() {
        assertEquals("512MB", DevstackSettings.parse(HOME, List.of(),
                Map.of("SLUICE_POSTGRES_MAX_SLOT_WAL_KEEP_SIZE", "512MB")).postgresMaxSlotWalKeepSize());
        assertEquals("-1", DevstackSettings.parse(HOME, List.of("--postgres-max-slot-wal-keep-size=-1"), Map.of())
                .postgresMaxSlotWalKeepSize());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DevstackSettings.parse(HOME,
                List.of("--postgres-max-slot-wal-keep-size", "1 GB; DROP"), Map.of())).getMessage()
                .contains("--postgres-max-slot-wal-keep-size"));
    }

    @Test
    void theLakeIsParquetUnlessIcebergIsAskedFor() {
        assertEquals(LakeFormat.PARQUET, DevstackSettings.parse(HOME, List.of(), Map.of()).lakeFormat());
        assertEquals(LakeFormat.ICEBERG, DevstackSettings.parse(HOME, List.of("--lake-format", "iceberg"), Map.of())
                .lakeFormat());
        assertEquals(LakeFormat.ICEBERG, DevstackSettings.parse(HOME, List.of(),
                Map.of("SLUICE_LAKE_FORMAT", "ICEBERG")).lakeFormat());
        String message = assertThrows(IllegalArgumentException.class, () -> DevstackSettings.parse(HOME,
                List.of("--lake-format=delta"), Map.of())).getMessage();
        assertTrue(message.contains("--lake-format") && message.contains("[parquet, iceberg]")
                && message.contains("'delta'"), message);
    }

    @Test
    void optionsWinOverEnvironmentWhichWinsOverDefaults() {
        DevstackSettings settings = DevstackSettings.parse(HOME,
                List.of("--kafka-port=19092", "--connect-port", "18083", "--fresh", "--no-generator"),
                Map.of("SLUICE_KAFKA_PORT", "29092", "SLUICE_S3_PORT", "19000", "SLUICE_STATE_DIR", "/tmp/s"));
        assertEquals(19092, settings.kafkaPort());
        assertEquals(18083, settings.connectPort());
        assertEquals(19000, settings.s3Port());
        assertEquals(Path.of("/tmp/s"), settings.stateDir());
        assertTrue(settings.fresh());
        assertFalse(settings.generator());
    }

    @Test
    void mistakesNameTheOption() {
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> DevstackSettings.parse(HOME, List.of("--kafka-prot", "1"), Map.of())).getMessage()
                .contains("--kafka-prot"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> DevstackSettings.parse(HOME, List.of("--app-port", "http"), Map.of())).getMessage()
                .contains("--app-port"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> DevstackSettings.parse(HOME, List.of("--postgres-port", "70000"), Map.of())).getMessage()
                .contains("--postgres-port"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> DevstackSettings.parse(HOME, List.of("--bad-ratio", "1.5"), Map.of())).getMessage()
                .contains("--bad-ratio"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> DevstackSettings.parse(HOME, List.of("up"), Map.of())).getMessage().contains("'up'"));
    }

    @Test
    void helpListsEveryOptionWithItsEnvironmentVariable() {
        String help = DevstackSettings.help();
        DevstackSettings.OPTIONS.forEach(option -> assertTrue(help.contains("--" + option.name()), option.name()));
        assertTrue(help.contains("SLUICE_EVENTS_PER_SECOND"));
    }
}
