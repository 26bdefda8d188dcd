package dev.sluice.connect.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.lake.ParquetCodec;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class S3ParquetSinkConfigTest {

    private static Map<String, String> minimal() {
        Map<String, String> props = new HashMap<>();
        props.put("s3.bucket.name", "lake");
        return props;
    }

    @Test
    void defaultsAreUsable() {
        S3ParquetSinkConfig config = new S3ParquetSinkConfig(minimal());

        assertEquals("lake", config.bucket());
        assertEquals("topics", config.topicsDir());
        assertEquals(ParquetCodec.SNAPPY, config.codec());
        assertEquals(ZoneId.of("UTC"), config.zone());
        assertTrue(config.endpoint().isEmpty());
        assertTrue(config.accessKeyId().isEmpty(), "default credentials chain");
        assertTrue(config.kafkaMetadataColumns());
        assertEquals(List.of(), config.partitionFields());
        assertFalse(config.toleratesErrors());
        assertEquals(S3ParquetSinkConfig.NullValueBehavior.FAIL, config.nullValueBehavior());
    }

    @Test
    void nullValuesCanBeDeleteMarkers() {
        for (String value : List.of("delete", "DELETE", " Delete ")) {
            Map<String, String> props = minimal();
            props.put("behavior.on.null.values", value);
            assertEquals(S3ParquetSinkConfig.NullValueBehavior.DELETE, new S3ParquetSinkConfig(props)
                    .nullValueBehavior(), value);
        }
        assertTrue(S3ParquetSinkConfig.CONFIG_DEF.configKeys().get("behavior.on.null.values").documentation
                .contains("delete"));
    }

    @Test
    void everyKeyIsDocumented() {
        for (ConfigDef.ConfigKey key : S3ParquetSinkConfig.CONFIG_DEF.configKeys().values()) {
            assertTrue(key.documentation != null && key.documentation.length() > 20, key.name);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "s3.bucket.name|Not_A_Bucket",
        "s3.endpoint|ftp://host",
        "s3.endpoint|not a url",
        "topics.dir|/abs",
        "topics.dir|a/../b",
        "topics.dir|a//b",
        "parquet.codec|lz4",
        "partition.timezone|Mars/Olympus",
        "partition.fields|a,b,c,d",
        "partition.fields|../x",
        "partition.fields|hour",
        "partition.timestamp.field|a b",
        "rotate.interval.ms|0",
        "rotate.idle.ms|-5",
        "flush.size|0",
        "max.open.files|0",
        "s3.part.size.bytes|1024",
        "behavior.on.null.values|drop",
    })
    void failsFastNamingTheKey(String key, String value) {
        Map<String, String> props = minimal();
        props.put(key, value);

        ConfigException e = assertThrows(ConfigException.class, () -> new S3ParquetSinkConfig(props));

        assertTrue(e.getMessage().contains(key), e.getMessage());
    }

    @Test
    void bucketIsRequired() {
        ConfigException e = assertThrows(ConfigException.class, () -> new S3ParquetSinkConfig(Map.of()));
        assertTrue(e.getMessage().contains("s3.bucket.name"), e.getMessage());
    }

    @Test
    void staticCredentialsComeInPairsAndAreNeverPrinted() {
        Map<String, String> props = minimal();
        props.put("aws.access.key.id", "AKIDEXAMPLE");
        ConfigException e = assertThrows(ConfigException.class, () -> new S3ParquetSinkConfig(props));
        assertTrue(e.getMessage().contains("aws.secret.access.key"), e.getMessage());
        assertFalse(e.getMessage().contains("AKIDEXAMPLE"), e.getMessage());

        props.put("aws.secret.access.key", "s3cr3t-value");
        S3ParquetSinkConfig config = new S3ParquetSinkConfig(props);
        assertEquals("s3cr3t-value", config.secretAccessKey().orElseThrow().value());
        assertFalse(config.toString().contains("s3cr3t-value"));
        assertFalse(config.values().toString().contains("s3cr3t-value"));
    }

    @Test
    void readsTheFrameworksErrorTolerance() {
        Map<String, String> props = minimal();
        props.put("errors.tolerance", "all");
        assertTrue(new S3ParquetSinkConfig(props).toleratesErrors());
    }
}
