package dev.sluice.app.connect;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Singleton;

/**
 * The values of a connector configuration that must never leave this service: its literal secrets, and whatever
 * its config-provider references resolve to — of every setting, not only secret ones, because Connect resolves
 * references before it validates and quotes the resolved value in its messages ({@code tasks.max=${file:...}}
 * answered "Invalid value &lt;the secret&gt; for configuration tasks.max"). References are resolved here with
 * the same providers and limits as the workers'; one this service cannot resolve contributes nothing, which is
 * why {@link ConnectorService} also withholds Connect's messages about settings given as references.
 */
@Singleton
public class ConfigSecrets {

    private static final Pattern REFERENCE = Pattern.compile("\\$\\{[^}]*}");

    private final SecretMasker masker;
    private final ConfigReferenceResolver resolver;

    public ConfigSecrets(SecretMasker masker, ConfigReferenceResolver resolver) {
        this.masker = masker;
        this.resolver = resolver;
    }

    /** The literal secrets and resolved reference values of {@code config}. */
    public Set<String> of(Map<String, String> config) {
        Set<String> secrets = new HashSet<>(masker.literalSecrets(config));
        config.forEach((key, value) -> {
            if (value == null) {
                return;
            }
            // Each reference on its own: in "jdbc:postgresql://${env:DB_HOST}/shop" the host is what is hidden.
            Matcher reference = REFERENCE.matcher(value);
            while (reference.find()) {
                resolver.tryResolve(key, reference.group()).filter(resolved -> !resolved.isBlank())
                        .ifPresent(secrets::add);
            }
        });
        return secrets;
    }
}
