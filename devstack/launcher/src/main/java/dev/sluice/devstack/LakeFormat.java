package dev.sluice.devstack;

import java.util.Arrays;
import java.util.Locale;

/** How the demo lake sinks write the lake ({@code ./sluice up --lake-format}). */
public enum LakeFormat {

    /** Sluice's S3 Parquet sink: Parquet objects under {@code <layer>/<topic>/year=/month=/day=/hour=/}. */
    PARQUET,
    /** Apache Iceberg's sink: an Iceberg table per topic in the JDBC catalog, files under {@code iceberg/}. */
    ICEBERG;

    /**
     * The format called {@code name} (any case).
     *
     * @throws IllegalArgumentException naming the option and the known formats
     */
    public static LakeFormat parse(String name) {
        try {
            return valueOf(name.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--lake-format must be one of " + Arrays.toString(values())
                    .toLowerCase(Locale.ROOT) + ", not '" + name + "'", e);
        }
    }

    /** The option value, e.g. {@code iceberg}. */
    public String optionValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
