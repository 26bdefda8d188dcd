package dev.sluice.deploy;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the data generator image runs and reads, from its sources: streams-app's tests cannot load the launcher's
 * classes, so the variables come from the constants and the {@code VARIABLES} list of GeneratorSettings.java.
 */
final class Generator {

    static final String IMAGE = "sluice/generator";
    static final String MAIN_CLASS = "dev.sluice.devstack.generator.GeneratorMain";
    static final Path SOURCES = Path.of("devstack/launcher/src/main/java/dev/sluice/devstack/generator");
    /** Read by docker/generator/entrypoint.sh, not by the generator. */
    static final Set<String> ENTRYPOINT_VARIABLES = Set.of("JAVA_OPTS");

    private static final Pattern CONSTANT = Pattern.compile(
            "static final String ([A-Z_]+) = \"([A-Z][A-Z0-9_]*)\";");
    private static final Pattern LISTED = Pattern.compile(
            "VARIABLES\\.put\\(([A-Z_]+), new String\\[] \\{(null|\"[^\"]*\"),");

    private Generator() {
    }

    /** Every variable the generator reads, with its default (null when it is required). */
    static Map<String, String> variables() {
        String source = Repository.read(Repository.path(SOURCES.resolve("GeneratorSettings.java").toString()));
        Map<String, String> constants = new LinkedHashMap<>();
        Matcher constant = CONSTANT.matcher(source);
        while (constant.find()) {
            constants.put(constant.group(1), constant.group(2));
        }
        Map<String, String> variables = new LinkedHashMap<>();
        Matcher listed = LISTED.matcher(source);
        while (listed.find()) {
            String name = constants.get(listed.group(1));
            if (name == null) {
                throw new IllegalStateException("GeneratorSettings lists " + listed.group(1)
                        + ", which is no constant holding a variable name");
            }
            variables.put(name, "null".equals(listed.group(2)) ? null
                    : listed.group(2).substring(1, listed.group(2).length() - 1));
        }
        if (variables.isEmpty()) {
            throw new IllegalStateException("no VARIABLES.put(...) found in GeneratorSettings.java");
        }
        return variables;
    }

    /** The source file of a class of the generator package, or of {@code className} anywhere in the launcher. */
    static Path source(String className) {
        return Repository.path("devstack/launcher/src/main/java/" + className.replace('.', '/') + ".java");
    }
}
