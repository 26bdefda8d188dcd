package dev.sluice.connect.template;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A connector configuration with named parameters, e.g. the Debezium CDC of the shop database. Placeholders are
 * written {@code {{name}}}, so that Kafka Connect's own {@code ${provider:path:key}} references pass through
 * untouched and are resolved by the worker's config providers.
 *
 * @param name template name, e.g. {@code postgres-cdc}
 * @param description what the connector does
 * @param parameters the parameters, by name, in declaration order
 * @param config the connector configuration with placeholders
 */
public record ConnectorTemplate(String name, String description, Map<String, Parameter> parameters,
        Map<String, String> config) {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([A-Za-z0-9_.\\-]+)}}");

    /**
     * One parameter of a template.
     *
     * @param doc what it means
     * @param defaultValue the value used when none is given, or null when the parameter is required
     * @param secret whether the value is a credential (masked in every response, never logged)
     */
    public record Parameter(String doc, String defaultValue, boolean secret) {

        public boolean required() {
            return defaultValue == null;
        }
    }

    /**
     * The connector configuration for {@code values}, with defaults for parameters not given.
     *
     * @throws TemplateException naming every unknown and every missing parameter
     */
    public Map<String, String> render(Map<String, String> values) {
        List<String> problems = new ArrayList<>();
        values.keySet().stream().filter(key -> !parameters.containsKey(key)).sorted()
                .forEach(key -> problems.add("unknown parameter '" + key + "'"));
        Map<String, String> resolved = new LinkedHashMap<>();
        parameters.forEach((key, parameter) -> {
            String value = values.getOrDefault(key, parameter.defaultValue());
            if (value == null || value.isBlank()) {
                problems.add("missing required parameter '" + key + "': " + parameter.doc());
            } else {
                resolved.put(key, value);
            }
        });
        if (!problems.isEmpty()) {
            throw new TemplateException(name, problems);
        }
        Map<String, String> rendered = new LinkedHashMap<>();
        config.forEach((key, value) -> rendered.put(key, substitute(value, resolved)));
        return rendered;
    }

    private static String substitute(String value, Map<String, String> resolved) {
        Matcher matcher = PLACEHOLDER.matcher(value);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            matcher.appendReplacement(out, Matcher.quoteReplacement(resolved.get(matcher.group(1))));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    /** Placeholders of {@code config} that name no parameter: a broken template, found when it is loaded. */
    List<String> undeclaredPlaceholders() {
        List<String> undeclared = new ArrayList<>();
        config.values().forEach(value -> {
            Matcher matcher = PLACEHOLDER.matcher(value);
            while (matcher.find()) {
                if (!parameters.containsKey(matcher.group(1))) {
                    undeclared.add(matcher.group(1));
                }
            }
        });
        return undeclared;
    }
}
