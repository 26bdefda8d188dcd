package dev.sluice.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Sluice's connector templates (connect-admin/src/main/resources/dev/sluice/connect/templates) as the deploy manifests
 * use them: rendering with the rules of ConnectorTemplate.render (a parameter without default is required, one
 * whose default is empty is optional and leaves out a setting that is nothing but it) and checking that a
 * configuration written out elsewhere, such as a KafkaConnector, is one the template can render.
 */
final class Templates {

    static final String DIRECTORY = "connect-admin/src/main/resources/dev/sluice/connect/templates";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([A-Za-z0-9_.\\-]+)}}");
    private static final Pattern PROVIDER_REFERENCE = Pattern.compile("\\$\\{[a-z]+:[^}]*}");
    private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)}");

    /** One template: parameters by name, each with doc, default (absent: required) and secret. */
    record Template(String name, Map<String, Map<String, Object>> parameters, Map<String, String> config) {

        boolean required(String parameter) {
            return !parameters.get(parameter).containsKey("default");
        }

        String defaultValue(String parameter) {
            return Tree.text(parameters.get(parameter), "default");
        }

        boolean secret(String parameter) {
            return "true".equals(Tree.text(parameters.get(parameter), "secret"));
        }

        /** The configuration for {@code values}; problems name unknown and missing parameters. */
        Map<String, String> render(Map<String, String> values, Problems problems, String where) {
            values.keySet().stream().filter(key -> !parameters.containsKey(key)).forEach(key ->
                    problems.add(where, "template " + name + " has no parameter '" + key + "'"));
            Map<String, String> resolved = new LinkedHashMap<>();
            parameters.keySet().forEach(key -> {
                String value = values.containsKey(key) ? values.get(key).strip() : defaultValue(key);
                if (required(key) && (value == null || value.isEmpty())) {
                    problems.add(where, "template " + name + " needs parameter '" + key + "'");
                    value = "";
                }
                resolved.put(key, value);
            });
            Map<String, String> rendered = new LinkedHashMap<>();
            config.forEach((key, value) -> {
                Matcher whole = PLACEHOLDER.matcher(value);
                if (!(whole.matches() && resolved.getOrDefault(whole.group(1), "").isEmpty())) {
                    Matcher placeholder = PLACEHOLDER.matcher(value);
                    StringBuilder out = new StringBuilder();
                    while (placeholder.find()) {
                        placeholder.appendReplacement(out,
                                Matcher.quoteReplacement(resolved.getOrDefault(placeholder.group(1), "")));
                    }
                    placeholder.appendTail(out);
                    rendered.put(key, out.toString());
                }
            });
            return rendered;
        }

        /**
         * Checks that {@code config} (a complete connector configuration) is one this template renders: the same
         * settings, each value the template's with some value in place of every placeholder, and secrets given as
         * config-provider references only.
         */
        void checkRendered(Map<String, String> config, Problems problems, String where) {
            this.config.forEach((key, value) -> {
                Matcher whole = PLACEHOLDER.matcher(value);
                if (!config.containsKey(key)) {
                    boolean optional = whole.matches() && "".equals(defaultValue(whole.group(1)));
                    problems.check(optional, where, "setting '" + key + "' of template " + name + " is missing");
                } else if (!pattern(value).matcher(config.get(key)).matches()) {
                    problems.add(where, "setting '" + key + "' = '" + config.get(key) + "' is not what template "
                            + name + " renders ('" + value + "')");
                } else if (whole.matches() && required(whole.group(1)) && config.get(key).isBlank()) {
                    problems.add(where, "setting '" + key + "' is empty, but template " + name + " requires it");
                }
            });
            config.keySet().stream().filter(key -> !this.config.containsKey(key)).forEach(key -> problems.add(where,
                    "setting '" + key + "' is not in template " + name + " (add it there, or leave it out here)"));
            secretKeys().stream().filter(config::containsKey).forEach(key -> problems.check(
                    PROVIDER_REFERENCE.matcher(config.get(key)).matches(), where, "secret setting '" + key
                            + "' must be a config-provider reference such as ${env:NAME}, not a value"));
            config.forEach((key, value) -> problems.check(!value.contains("{{"), where, "setting '" + key
                    + "' still holds a template placeholder: " + value));
        }

        /** Settings that carry a secret parameter. */
        Set<String> secretKeys() {
            Set<String> keys = new LinkedHashSet<>();
            config.forEach((key, value) -> {
                Matcher matcher = PLACEHOLDER.matcher(value);
                while (matcher.find()) {
                    if (parameters.containsKey(matcher.group(1)) && secret(matcher.group(1))) {
                        keys.add(key);
                    }
                }
            });
            return keys;
        }

        private static Pattern pattern(String templateValue) {
            StringBuilder regex = new StringBuilder();
            Matcher matcher = PLACEHOLDER.matcher(templateValue);
            int last = 0;
            while (matcher.find()) {
                regex.append(Pattern.quote(templateValue.substring(last, matcher.start()))).append("(.*)");
                last = matcher.end();
            }
            regex.append(Pattern.quote(templateValue.substring(last)));
            return Pattern.compile(regex.toString(), Pattern.DOTALL);
        }
    }

    private Templates() {
    }

    /**
     * The lake sinks' {@code behavior.on.null.values} by zone ({@code topics.dir}). Silver and gold tombstones are data
     * (a deleted row of a compacted table, a gold session merged into a longer one): delete-marker rows, never dead
     * letters. Bronze keeps them dead letters: its CDC rows carry Debezium's own {@code __deleted}, which would clash
     * with the delete markers, and a null value on the event topic is a bad record.
     */
    static final Map<String, String> LAKE_NULL_VALUES = Map.of("bronze", "fail", "silver", "delete", "gold", "delete");

    /** Every template by name. */
    static Map<String, Template> load() {
        Map<String, Template> templates = new TreeMap<>();
        try (Stream<Path> files = Files.list(Repository.path(DIRECTORY))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                Map<String, Object> json = Repository.json(file);
                Map<String, Map<String, Object>> parameters = new LinkedHashMap<>();
                Tree.map(json, "parameters").forEach((key, value) -> parameters.put(key, Tree.map(value)));
                Map<String, String> config = new LinkedHashMap<>();
                Tree.map(json, "config").forEach((key, value) -> config.put(key, String.valueOf(value)));
                String name = Tree.text(json, "template");
                templates.put(name, new Template(name, parameters, config));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + DIRECTORY, e);
        }
        return templates;
    }

    /** The variables a configuration reads through Connect's env config provider ({@code ${env:NAME}}). */
    static Set<String> envReferences(Map<String, String> config) {
        Set<String> names = new LinkedHashSet<>();
        config.values().forEach(value -> {
            Matcher matcher = ENV_REFERENCE.matcher(value);
            while (matcher.find()) {
                names.add(matcher.group(1));
            }
        });
        return names;
    }

    /**
     * The topics a source connector configuration writes: Debezium's {@code <topic.prefix>.<schema>.<table>} of
     * every captured table but the signalling one, then the RegexRouter of {@code transforms.route}; the JDBC
     * source's {@code <topic.prefix><table>}. Empty for other connectors.
     */
    static Set<String> sourceTopics(Map<String, String> config) {
        Set<String> topics = new LinkedHashSet<>();
        String connectorClass = config.getOrDefault("connector.class", "");
        if (connectorClass.equals("io.debezium.connector.postgresql.PostgresConnector")) {
            String signal = config.getOrDefault("signal.data.collection", "");
            for (String table : list(config.get("table.include.list"))) {
                if (!table.equals(signal)) {
                    String topic = config.get("topic.prefix") + "." + table;
                    if (config.containsKey("transforms.route.regex")) {
                        topic = topic.replaceAll(config.get("transforms.route.regex"),
                                config.getOrDefault("transforms.route.replacement", "$0"));
                    }
                    topics.add(topic);
                }
            }
        } else if (connectorClass.equals("dev.sluice.connect.jdbc.JdbcSourceConnector")) {
            for (String table : list(config.get("tables"))) {
                topics.add(config.getOrDefault("topic.prefix", "") + table);
            }
        }
        return topics;
    }

    /** The topics a sink configuration reads ({@code topics}); empty for source connectors. */
    static Set<String> sinkTopics(Map<String, String> config) {
        return new LinkedHashSet<>(list(config.get("topics")));
    }

    private static List<String> list(String value) {
        return value == null || value.isBlank() ? List.of()
                : Stream.of(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}
