package dev.sluice.devstack.terminal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LakeFilesTest {

    @TempDir
    Path bucket;

    @Test
    void countsTheSinksNewFilesPerLayerOnceAndNothingElse() throws IOException {
        write("bronze/bronze.pg.orders/dt=2026-12-02/hour=10/bronze.pg.orders+0+00000000000000000000.snappy.parquet");
        LakeFiles lake = new LakeFiles(bucket);
        assertEquals(Map.of(), lake.writtenSinceLastCall(), "files there before count as written before");

        write("bronze/bronze.pg.orders/dt=2026-12-02/hour=10/bronze.pg.orders+0+00000000000000000120.snappy.parquet");
        write("silver/silver.orders/dt=2026-12-02/hour=10/silver.orders+2+00000000000000000007.snappy.parquet");
        write("silver/silver.orders/dt=2026-12-02/hour=10/silver.orders+1+00000000000000000003.snappy.parquet");
        // Not the sink's: compaction output, its manifest, a checkpoint.
        write("silver/silver.orders/dt=2026-12-02/hour=10/"
                + "silver.orders+compacted+3f0c9a6b1e2d4c5f+0000.snappy.parquet");
        write("silver/silver.orders/dt=2026-12-02/hour=10/_manifest.json");
        write("_checkpoints/silver.orders+1.json");
        assertEquals(Map.of("bronze", 1, "silver", 2), lake.writtenSinceLastCall());

        // Compaction deletes consumed files: nothing new, nothing negative.
        Files.delete(bucket.resolve(
                "silver/silver.orders/dt=2026-12-02/hour=10/silver.orders+1+00000000000000000003.snappy.parquet"));
        assertEquals(Map.of(), lake.writtenSinceLastCall());
    }

    @Test
    void noBucketYetIsNoFiles() {
        assertEquals(Map.of(), new LakeFiles(bucket.resolve("missing")).writtenSinceLastCall());
    }

    private void write(String key) throws IOException {
        Path file = bucket.resolve(key);
        Files.createDirectories(file.getParent());
        Files.writeString(file, "x");
    }
}
