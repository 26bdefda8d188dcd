package dev.sluice.app.testing;

import java.util.HashMap;
import java.util.Map;

import dev.sluice.app.validate.ValidationRules;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.Environment;
import io.micronaut.core.naming.conventions.StringConvention;

/**
 * The validation rules of the real application.yml, read through Micronaut's environment as the app reads them
 * (without starting any bean), so that topology tests exercise the shipped rules, not copies.
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
            try {
                validation = Map.copyOf(environment.getProperties("sluice.validation", StringConvention.RAW));
            } finally {
                environment.stop();
            }
        }
        return validation;
    }
}
