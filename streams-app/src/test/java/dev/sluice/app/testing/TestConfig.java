package dev.sluice.app.testing;

import java.util.HashMap;
import java.util.Map;

import org.yaml.snakeyaml.Yaml;

import dev.sluice.app.dataset.DatasetDirectory;
import dev.sluice.app.validate.ValidationRules;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.Environment;
import io.micronaut.core.naming.conventions.StringConvention;

/**
 * The validation rules of the real application.yml, read through Micronaut's environment as the app reads them
 * (without starting any bean), and those of the built-in dataset specifications (validation and dedupe sections, in
 * the same flat form), so that topology tests exercise the shipped rules, not copies, and can change any of them
 * in one place ({@link dev.sluice.app.topology.TopologySettings} gives them to the datasets they name).
 */
public final class TestConfig {

    private static Map<String, Object> validation;
    private static ValidationRules rules;

    private TestConfig() {
    }

    public static synchronized ValidationRules rules() {
        if (rules == null) {
            rules = ValidationRules.parse(validation());
        }
        return rules;
    }

    /** The shipped rules with some keys (relative to {@code sluice.validation}) changed, as an operator would. */
    public static ValidationRules rules(Map<String, Object> changed) {
        Map<String, Object> flat = new HashMap<>(validation());
        flat.putAll(changed);
        return ValidationRules.parse(flat);
    }

    private static synchronized Map<String, Object> validation() {
        if (validation == null) {
            ApplicationContext context = ApplicationContext.builder().deduceEnvironment(false).build();
            Environment environment = context.getEnvironment().start();
            Map<String, Object> flat = new HashMap<>();
            try {
                flat.putAll(environment.getProperties("sluice.validation", StringConvention.RAW));
            } finally {
                environment.stop();
            }
            DatasetDirectory.builtIns().values().forEach(text -> addDataset(flat, text));
            validation = Map.copyOf(flat);
        }
        return validation;
    }

    /** A specification's validation and dedupe sections as {@code sluice.validation.<name>.*} keys. */
    private static void addDataset(Map<String, Object> flat, String yaml) {
        Map<String, Object> spec = new Yaml().load(yaml);
        String name = spec.get("name").toString();
        flatten(name + ".", (Map<?, ?>) spec.getOrDefault("validation", Map.of()), flat);
        Map<?, ?> dedupe = (Map<?, ?>) spec.get("dedupe");
        if (dedupe != null) {
            flat.put(name + ".dedupe.key", dedupe.get("key"));
            flat.put(name + ".dedupe.window", dedupe.get("horizon"));
        }
    }

    private static void flatten(String prefix, Map<?, ?> values, Map<String, Object> flat) {
        values.forEach((key, value) -> {
            if (value instanceof Map<?, ?> nested) {
                flatten(prefix + key + ".", nested, flat);
            } else {
                flat.put(prefix + key, value);
            }
        });
    }
}
