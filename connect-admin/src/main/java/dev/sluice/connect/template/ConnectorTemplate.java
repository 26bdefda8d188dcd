package dev.sluice.connect.template;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A connector configuration with named parameters, e.g. the Debezium CDC of the shop database. Placeholders are
 * written {@code {{name}}}, so that Kafka Connect's own {@code ${provider:path:key}} references pass through
 * untouched and are resolved by the worker's config providers.
 *
 * <p>A parameter without default is required. A parameter whose default is empty is optional: when it is left
 * empty, a setting whose whole value is that one placeholder is left out of the rendered configuration, so the
 * connector's own default applies.
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
     * @param defaultValue the value used when none is given, or null when the parameter is required; empty for an
     *        optional parameter
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
        List<TemplateException.Problem> problems = new ArrayList<>();
        values.keySet().stream().filter(key -> !parameters.containsKey(key)).sorted()
                .forEach(key -> problems.add(new TemplateException.Problem(key, "unknown parameter '" + key
                        + "'; known: " + parameters.keySet())));
        Map<String, String> resolved = new LinkedHashMap<>();
        parameters.forEach((key, parameter) -> {
            String given = values.get(key);
            String value = given == null ? parameter.defaultValue() : given.strip();
            if (parameter.required() && (value == null || value.isEmpty())) {
                problems.add(new TemplateException.Problem(key,
                        "missing required parameter '" + key + "': " + parameter.doc()));
            } else {
                resolved.put(key, value);
            }
        });
        if (!problems.isEmpty()) {
            throw new TemplateException(name, problems);
        }
        Map<String, String> rendered = new LinkedHashMap<>();
        config.forEach((key, value) -> {
            Matcher whole = PLACEHOLDER.matcher(value);
            if (!(whole.matches() && resolved.get(whole.group(1)).isEmpty())) {
                rendered.put(key, substitute(value, resolved));
            }
        });
        return rendered;
    }

    /** Settings of the rendered configuration that carry a secret parameter: masked wherever they are shown. */
    public Set<String> secretConfigKeys() {
        Set<String> keys = new LinkedHashSet<>();
        config.forEach((key, value) -> {
            Matcher matcher = PLACEHOLDER.matcher(value);
            while (matcher.find()) {
                ConnectorTemplate.Parameter parameter = parameters.get(matcher.group(1));
                if (parameter != null && parameter.secret()) {
                    keys.add(key);
                }
            }
        });
        return keys;
    }

    /** The connector class this template configures. */
    public String connectorClass() {
        return config.get("connector.class");
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
