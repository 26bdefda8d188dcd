package dev.sluice.app.dataset;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The directory of dataset specifications, one {@code <name>.yaml} per dataset. A directory that is absent or holds
 * no specification is seeded with the built-in ones (the shop's, classpath {@code datasets/*.yaml}), so that a fresh
 * installation carries the shop and an operator edits files rather than jar resources.
 */
public final class DatasetDirectory {

    /** Where the built-in specifications are on the class path. */
    public static final String BUILT_INS = "datasets";
    private static final String SUFFIX = ".yaml";

    private final Path dir;
    private final DatasetSpecParser parser;

    public DatasetDirectory(Path dir, DatasetSpecParser parser) {
        this.dir = dir;
        this.parser = parser;
    }

    public Path path() {
        return dir;
    }

    /**
     * Every specification of the directory by name, seeding it first when it holds none.
     *
     * @throws InvalidDatasetException for the first wrong file, naming it and its field
     */
    public SortedMap<String, DatasetSpec> load() {
        seedIfEmpty();
        SortedMap<String, DatasetSpec> specs = new TreeMap<>();
        texts().forEach((file, text) -> {
            DatasetSpec spec = parser.parse(dir.resolve(file).toString(), text);
            specs.put(spec.name(), spec);
        });
        return Collections.unmodifiableSortedMap(specs);
    }

    /** SHA-256 (hex) over the sorted file names and texts: changes whenever a specification does. */
    public String fingerprint() {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            texts().forEach((file, text) -> {
                digest.update(file.getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
                digest.update(text.getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
            });
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** The built-in specifications, file name to text, from the class path. */
    public static SortedMap<String, String> builtIns() {
        URL url = DatasetDirectory.class.getClassLoader().getResource(BUILT_INS);
        if (url == null) {
            return Collections.emptySortedMap();
        }
        try {
            URI uri = url.toURI();
            if ("jar".equals(uri.getScheme())) {
                try (FileSystem jar = FileSystems.newFileSystem(uri, Map.of())) {
                    return read(jar.getPath(BUILT_INS));
                } catch (FileSystemAlreadyExistsException e) {
                    return read(FileSystems.getFileSystem(uri).getPath(BUILT_INS));
                }
            }
            return read(Path.of(uri));
        } catch (URISyntaxException e) {
            throw new IllegalStateException("unreadable class path location " + url, e);
        } catch (IOException e) {
            throw new UncheckedIOException("reading the built-in dataset specifications at " + url, e);
        }
    }

    private SortedMap<String, String> texts() {
        if (!Files.isDirectory(dir)) {
            return Collections.emptySortedMap();
        }
        try {
            return read(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("reading the dataset directory " + dir, e);
        }
    }

    private void seedIfEmpty() {
        if (!texts().isEmpty()) {
            return;
        }
        try {
            Files.createDirectories(dir);
            for (Map.Entry<String, String> builtIn : builtIns().entrySet()) {
                Files.writeString(dir.resolve(builtIn.getKey()), builtIn.getValue(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("seeding the dataset directory " + dir, e);
        }
    }

    private static SortedMap<String, String> read(Path directory) throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> list = Files.list(directory)) {
            list.filter(p -> p.getFileName().toString().endsWith(SUFFIX) && Files.isRegularFile(p)).forEach(files::add);
        }
        SortedMap<String, String> texts = new TreeMap<>();
        for (Path file : files) {
            try (InputStream in = Files.newInputStream(file)) {
                texts.put(file.getFileName().toString(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return texts;
    }
}
