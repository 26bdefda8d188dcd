package dev.sluice.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The repository's files that the deploy manifests refer to, found from the module directory the tests run in,
 * and parsed as YAML or JSON trees (maps, lists and scalars).
 */
final class Repository {

    private static final Path ROOT = locate();

    private Repository() {
    }

    /** The repository root: the directory with the Maven wrapper and the streams-app module. */
    static Path root() {
        return ROOT;
    }

    /** A path of the repository, e.g. {@code k8s/base}. */
    static Path path(String relative) {
        return ROOT.resolve(relative);
    }

    /** The path as the repository names it, for messages. */
    static String relative(Path path) {
        return ROOT.relativize(path.toAbsolutePath().normalize()).toString();
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Every document of a YAML file, without empty ones. */
    static List<Map<String, Object>> yamlDocuments(Path file) {
        return yamlDocuments(read(file), relative(file));
    }

    /** Every document of YAML text, without empty ones; {@code where} names the text in messages. */
    static List<Map<String, Object>> yamlDocuments(String text, String where) {
        List<Map<String, Object>> documents = new ArrayList<>();
        for (Object document : yaml().loadAll(text)) {
            if (document instanceof Map<?, ?> map) {
                documents.add(Tree.copy(map));
            } else if (document != null) {
                throw new IllegalStateException(where + ": a document is not a mapping: " + document);
            }
        }
        return documents;
    }

    /** The single document of a YAML file. */
    static Map<String, Object> yaml(Path file) {
        List<Map<String, Object>> documents = yamlDocuments(file);
        if (documents.size() != 1) {
            throw new IllegalStateException(relative(file) + " holds " + documents.size() + " documents, not 1");
        }
        return documents.get(0);
    }

    /** A JSON object file. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> json(Path file) {
        try {
            return new ObjectMapper().readValue(file.toFile(), LinkedHashMap.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse " + file, e);
        }
    }

    /** {@code <kafka.version>} of the root pom: the one Kafka version of the whole build. */
    static String kafkaVersion() {
        Matcher matcher = Pattern.compile("<kafka\\.version>([^<]+)</kafka\\.version>").matcher(read(path("pom.xml")));
        if (!matcher.find()) {
            throw new IllegalStateException("pom.xml declares no <kafka.version>");
        }
        return matcher.group(1).trim();
    }

    private static Yaml yaml() {
        return new Yaml(new SafeConstructor(new LoaderOptions()));
    }

    private static Path locate() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            if (Files.isRegularFile(dir.resolve("mvnw")) && Files.isDirectory(dir.resolve("streams-app"))) {
                return dir;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("no repository root (with mvnw and streams-app/) above "
                + Path.of("").toAbsolutePath());
    }
}
