package dev.sluice.app.connect;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigTransformer;
import org.apache.kafka.common.config.provider.ConfigProvider;
import org.apache.kafka.common.config.provider.EnvVarConfigProvider;
import org.apache.kafka.common.config.provider.FileConfigProvider;

import io.micronaut.http.HttpStatus;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

/**
 * Resolves {@code ${file:path:key}} and {@code ${env:VAR}} references the way a Kafka Connect worker with the
 * config providers {@code file} and {@code env} does: with Kafka's own {@link FileConfigProvider},
 * {@link EnvVarConfigProvider} and {@link ConfigTransformer}. The incremental-snapshot endpoint uses it to reach the
 * CDC connector's database (the file must therefore be readable by this service too: mount the same secret), and
 * the connector API to scrub resolved values from the messages it relays. What may be read is limited by {@code sluice.connect.file-allowed-paths} and
 * {@code sluice.connect.env-allowlist-pattern}.
 */
@Singleton
public class ConfigReferenceResolver {

    private static final Pattern UNRESOLVED = Pattern.compile("\\$\\{[^}]*}");

    private final Map<String, ConfigProvider> providers = new HashMap<>();
    private final ConfigTransformer transformer;

    public ConfigReferenceResolver(ConnectConfiguration configuration) {
        FileConfigProvider file = new FileConfigProvider();
        Map<String, String> fileConfig = new HashMap<>();
        if (!configuration.getFileAllowedPaths().isBlank()) {
            fileConfig.put("allowed.paths", configuration.getFileAllowedPaths());
        }
        file.configure(fileConfig);
        EnvVarConfigProvider env = new EnvVarConfigProvider();
        env.configure(Map.of("allowlist.pattern", configuration.getEnvAllowlistPattern()));
        providers.put("file", file);
        providers.put("env", env);
        transformer = new ConfigTransformer(providers);
    }

    /**
     * The value of setting {@code key}, with every reference replaced by what it names.
     *
     * @throws ApiException 500 naming the setting when a reference cannot be resolved in this service
     */
    public String resolve(String key, String value) {
        if (value == null || !value.contains("${")) {
            return value;
        }
        String resolved;
        try {
            Map<String, String> data = transformer.transform(Map.of(key, value)).data();
            resolved = data.get(key);
        } catch (ConfigException e) {
            throw unresolvable(key, value, e.getMessage());
        }
        if (resolved == null || UNRESOLVED.matcher(resolved).find()) {
            throw unresolvable(key, value, "the provider is not file or env, or the key or variable does not exist "
                    + "or is not allowed");
        }
        return resolved;
    }

    /**
     * What the references in {@code value} resolve to here, if they all do; empty otherwise. For scrubbing text
     * only: a value that cannot be resolved here is not an error.
     */
    public Optional<String> tryResolve(String key, String value) {
        if (value == null || !value.contains("${")) {
            return Optional.empty();
        }
        try {
            String resolved = transformer.transform(Map.of(key, value)).data().get(key);
            return resolved == null || UNRESOLVED.matcher(resolved).find() ? Optional.empty() : Optional.of(resolved);
        } catch (ConfigException e) {
            return Optional.empty();
        }
    }

    @PreDestroy
    void close() throws Exception {
        for (ConfigProvider provider : providers.values()) {
            provider.close();
        }
    }

    // The reference names where the secret is, not the secret, so it may be shown.
    private static ApiException unresolvable(String key, String reference, String why) {
        return new ApiException(HttpStatus.INTERNAL_SERVER_ERROR, "Secret reference not resolvable here",
                "setting " + key + " = " + reference + " cannot be resolved by streams-app: " + why
                        + ". The file or variable must be readable by streams-app as it is by the Connect workers.");
    }
}
