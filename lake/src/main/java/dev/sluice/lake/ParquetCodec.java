package dev.sluice.lake;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/** The Parquet compression codecs the lake writes, with the name used in configuration and file names. */
public enum ParquetCodec {
    SNAPPY("snappy", CompressionCodecName.SNAPPY),
    ZSTD("zstd", CompressionCodecName.ZSTD),
    GZIP("gzip", CompressionCodecName.GZIP),
    NONE("none", CompressionCodecName.UNCOMPRESSED);

    private final String configName;
    private final CompressionCodecName parquetName;

    ParquetCodec(String configName, CompressionCodecName parquetName) {
        this.configName = configName;
        this.parquetName = parquetName;
    }

    /** The name in configuration and in object names ({@code <...>.<name>.parquet}). */
    public String configName() {
        return configName;
    }

    /** The codec as Parquet names it. */
    public CompressionCodecName parquetName() {
        return parquetName;
    }

    /** Looks a codec up by its configuration name, ignoring case. */
    public static ParquetCodec fromConfigName(String name) {
        for (ParquetCodec codec : values()) {
            if (codec.configName.equalsIgnoreCase(name.trim())) {
                return codec;
            }
        }
        throw new IllegalArgumentException("Unknown Parquet codec '" + name + "'; expected one of " + configNames());
    }

    /** All configuration names, comma separated, for documentation and errors. */
    public static String configNames() {
        return Arrays.stream(values()).map(c -> c.configName).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return configName.toLowerCase(Locale.ROOT);
    }
}
