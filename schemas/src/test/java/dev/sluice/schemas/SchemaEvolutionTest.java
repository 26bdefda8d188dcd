package dev.sluice.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every schema in src/main/avro must be backward compatible with each of its released versions, kept in
 * src/test/resources/avro-history/&lt;full name&gt;/v&lt;n&gt;.avsc: a consumer on the new schema still reads everything
 * written with an old one. The newest recorded version must equal the current schema, so that a change cannot ship
 * without being recorded (copy the new schema to the next v&lt;n&gt; when you change one).
 */
class SchemaEvolutionTest {

    private static final Path CURRENT = Path.of("src/main/avro");
    private static final Path HISTORY = Path.of("src/test/resources/avro-history");

    @TestFactory
    Stream<DynamicTest> everySchemaIsBackwardCompatibleWithItsHistory() {
        List<Path> files = avscFiles(CURRENT);
        assertFalse(files.isEmpty(), "no schemas found under " + CURRENT.toAbsolutePath());
        return files.stream().map(file -> DynamicTest.dynamicTest(CURRENT.relativize(file).toString(), () -> {
            Schema current = parse(file);
            List<Path> versions = versions(current.getFullName());
            assertFalse(versions.isEmpty(), "no released version of " + current.getFullName() + " under "
                    + HISTORY + "; copy the schema to " + HISTORY.resolve(current.getFullName()).resolve("v1.avsc"));
            for (Path version : versions) {
                Schema old = parse(version);
                SchemaPairCompatibility result = SchemaCompatibility.checkReaderWriterCompatibility(current, old);
                assertEquals(SchemaCompatibilityType.COMPATIBLE, result.getType(), () -> current.getFullName()
                        + " cannot read data written with " + version + ": " + result.getResult().getIncompatibilities());
            }
            Schema newest = parse(versions.get(versions.size() - 1));
            assertEquals(newest, current, current.getFullName() + " changed but the change is not recorded: copy it to "
                    + HISTORY.resolve(current.getFullName()).resolve("v" + (versions.size() + 1) + ".avsc"));
        }));
    }

    @Test
    void historyHoldsNoSchemaThatNoLongerExists() {
        List<String> current = avscFiles(CURRENT).stream().map(f -> parse(f).getFullName()).toList();
        try (Stream<Path> dirs = Files.list(HISTORY)) {
            dirs.map(d -> d.getFileName().toString())
                    .forEach(name -> assertTrue(current.contains(name), "history of removed schema " + name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The check above would catch the usual breaking changes; if this test fails, the check proves nothing. */
    @Test
    void detectsBreakingChanges() {
        Schema v1 = new Schema.Parser().parse("""
                {"type":"record","name":"R","fields":[{"name":"a","type":"long"},{"name":"b","type":"string"}]}""");
        Schema addedFieldWithoutDefault = new Schema.Parser().parse("""
                {"type":"record","name":"R","fields":[{"name":"a","type":"long"},{"name":"b","type":"string"},
                {"name":"c","type":"int"}]}""");
        Schema narrowedType = new Schema.Parser().parse("""
                {"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"b","type":"string"}]}""");
        Schema addedFieldWithDefault = new Schema.Parser().parse("""
                {"type":"record","name":"R","fields":[{"name":"a","type":"long"},{"name":"b","type":"string"},
                {"name":"c","type":"int","default":0}]}""");
        assertNotEquals(SchemaCompatibilityType.COMPATIBLE,
                SchemaCompatibility.checkReaderWriterCompatibility(addedFieldWithoutDefault, v1).getType());
        assertNotEquals(SchemaCompatibilityType.COMPATIBLE,
                SchemaCompatibility.checkReaderWriterCompatibility(narrowedType, v1).getType());
        assertEquals(SchemaCompatibilityType.COMPATIBLE,
                SchemaCompatibility.checkReaderWriterCompatibility(addedFieldWithDefault, v1).getType());
    }

    private static List<Path> versions(String fullName) {
        Path dir = HISTORY.resolve(fullName);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Path> versions = new ArrayList<>(avscFiles(dir));
        versions.sort(Comparator.comparingInt(SchemaEvolutionTest::versionNumber));
        return versions;
    }

    private static int versionNumber(Path file) {
        String name = file.getFileName().toString();
        if (!name.matches("v\\d+\\.avsc")) {
            throw new IllegalStateException("history files are named v<n>.avsc: " + file);
        }
        return Integer.parseInt(name.substring(1, name.length() - ".avsc".length()));
    }

    private static List<Path> avscFiles(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(f -> f.toString().endsWith(".avsc")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Schema parse(Path file) {
        try {
            return new Schema.Parser().parse(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
