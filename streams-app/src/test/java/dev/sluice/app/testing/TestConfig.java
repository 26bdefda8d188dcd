package dev.sluice.app.testing;

import dev.sluice.app.validate.ValidationRules;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.Environment;
import io.micronaut.core.naming.conventions.StringConvention;

/**
 * The validation rules of the real application.yml, read through Micronaut's environment as the app reads them
 * (without starting any bean), so that topology tests exercise the shipped rules, not copies.
 */
public final class TestConfig {

    private static ValidationRules rules;

    private TestConfig() {
    }

    public static synchronized ValidationRules rules() {
        if (rules == null) {
            ApplicationContext context = ApplicationContext.builder().deduceEnvironment(false).build();
            Environment environment = context.getEnvironment().start();
            try {
                rules = ValidationRules.parse(environment.getProperties("sluice.validation", StringConvention.RAW));
            } finally {
                environment.stop();
            }
        }
        return rules;
    }
}
