package dev.sluice.app.connect;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import jakarta.inject.Singleton;

/**
 * What {@code /api/connectors} lets a caller create: only allowlisted connector classes; no settings that reach
 * beyond the connector (client overrides towards other clusters, config providers, SQL run at connect or
 * snapshot time); and secrets only as config-provider references, since a literal would sit in plaintext in
 * Connect's config topic and be shown by Connect's own REST API. The JDBC source's {@code query} is checked by the
 * connector itself (single read-only statement), so it holds for configs sent to Connect directly too.
 */
@Singleton
public class ConnectorPolicy {

    private static final String CONNECTOR_CLASS = "connector.class";
    private static final List<String> OVERRIDE_PREFIXES = List.of("producer.override.", "consumer.override.",
            "admin.override.");
    /** Settings whose values Debezium runs as SQL on the source database, with the connector's privileges. */
    private static final List<String> SQL_SETTINGS = List.of("database.initial.statements",
            "snapshot.select.statement.overrides");

    private final Set<String> allowedClasses;
    private final Set<String> allowedOverrides;
    private final SecretMasker masker;

    public ConnectorPolicy(ConnectConfiguration configuration, SecretMasker masker) {
        this.allowedClasses = new TreeSet<>(configuration.getAllowedClasses().stream().map(String::strip).toList());
        this.allowedOverrides = Set.copyOf(configuration.getAllowedOverrideKeys().stream().map(String::strip)
                .toList());
        this.masker = masker;
    }

    /**
     * Checks {@code config} as sent by the caller (masked values stand for secrets kept from the current config).
     *
     * @throws ApiException 400 naming every setting that breaks the policy
     */
    public void check(Map<String, String> config) {
        List<Problem.FieldError> errors = new ArrayList<>();
        String connectorClass = config.get(CONNECTOR_CLASS);
        if (connectorClass != null && !isAllowedClass(connectorClass.strip())) {
            errors.add(error(CONNECTOR_CLASS, "'" + connectorClass + "' is not an allowed connector class; allowed: "
                    + allowedClasses + " (sluice.connect.allowed-classes)"));
        }
        config.forEach((key, value) -> {
            if (key.startsWith("config.providers")) {
                errors.add(error(key, "config providers are set on the Connect workers, not per connector"));
            } else if (OVERRIDE_PREFIXES.stream().anyMatch(key::startsWith) && !allowedOverrides.contains(key)) {
                errors.add(error(key, "client overrides are not allowed except " + new TreeSet<>(allowedOverrides)
                        + " (sluice.connect.allowed-override-keys): they would point the connector's Kafka clients "
                        + "at other servers or credentials"));
            } else if (SQL_SETTINGS.stream().anyMatch(key::startsWith)) {
                errors.add(error(key, "SQL run by the connector on the source database is not allowed through "
                        + "this API"));
            } else if (value != null && !value.isEmpty() && masker.isSecretKey(key) && !SecretMasker.isReference(value)
                    && !SecretMasker.MASK.equals(value)) {
                errors.add(error(key, "a secret must be a config-provider reference, not a literal (a literal would "
                        + "be stored in plaintext in Connect's config topic): put it in a secrets file the workers "
                        + "mount and give ${file:/path/to/secrets.properties:" + key + "}, or in a worker "
                        + "environment variable and give ${env:VARIABLE}"));
            }
        });
        if (!errors.isEmpty()) {
            throw ApiException.invalid("the configuration breaks the connector policy: " + errors.stream()
                    .map(Problem.FieldError::field).toList(), errors);
        }
    }

    private boolean isAllowedClass(String connectorClass) {
        return allowedClasses.contains(connectorClass) || allowedClasses.stream()
                .anyMatch(c -> c.substring(c.lastIndexOf('.') + 1).equals(connectorClass));
    }

    private static Problem.FieldError error(String field, String message) {
        return new Problem.FieldError(field, List.of(message));
    }
}
