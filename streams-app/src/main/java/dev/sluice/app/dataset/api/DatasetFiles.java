package dev.sluice.app.dataset.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The specification files of the dataset directory, {@code <name>.yaml} each. A file is replaced atomically: the
 * text goes to a hidden temporary file in the same directory ({@code .<name>.yaml.tmp}, which no reader of
 * {@code *.yaml} picks up), which is then moved over the old one, so a reader (this or another instance, the
 * topology at start) sees the old text or the new one, never half of it.
 */
final class DatasetFiles {

    static final String SUFFIX = ".yaml";

    private final Path directory;

    DatasetFiles(Path directory) {
        this.directory = directory;
    }

    /** The file name of dataset {@code name}, as errors name it. */
    static String fileName(String name) {
        return name + SUFFIX;
    }

    /** The names of the datasets in the directory, sorted; none when it does not exist. */
    List<String> names() {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(f -> f.endsWith(SUFFIX))
                    .map(f -> f.substring(0, f.length() - SUFFIX.length())).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("dataset directory " + directory + ": " + e.getMessage(), e);
        }
    }

    /** The text of dataset {@code name}'s file; empty when there is none. */
    Optional<String> read(String name) {
        try {
            return Optional.of(Files.readString(directory.resolve(fileName(name)), StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(fileName(name) + ": cannot be read: " + e.getMessage(), e);
        }
    }

    /** Writes dataset {@code name}'s file atomically. */
    void write(String name, String text) {
        Path target = directory.resolve(fileName(name));
        Path temporary = directory.resolve("." + fileName(name) + ".tmp");
        try {
            Files.createDirectories(directory);
            Files.writeString(temporary, text, StandardCharsets.UTF_8);
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                // A file system without atomic rename (rare; e.g. some network mounts): replace as well as it can.
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException ignored) {
                // The write failed already; that is what is reported.
            }
            throw new UncheckedIOException(fileName(name) + ": cannot be written: " + e.getMessage(), e);
        }
    }

    /** Deletes dataset {@code name}'s file; false when there was none. */
    boolean delete(String name) {
        try {
            return Files.deleteIfExists(directory.resolve(fileName(name)));
        } catch (IOException e) {
            throw new UncheckedIOException(fileName(name) + ": cannot be deleted: " + e.getMessage(), e);
        }
    }
}
