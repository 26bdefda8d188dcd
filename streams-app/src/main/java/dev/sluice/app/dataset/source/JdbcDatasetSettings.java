package dev.sluice.app.dataset.source;

import io.micronaut.context.annotation.ConfigurationProperties;

/**
 * Settings {@code sluice.datasets.jdbc.*}: the database that the JDBC sources of {@code jdbc} datasets poll, as the
 * Connect workers reach it. The password is a Kafka Connect config-provider reference, written without its
 * {@code ${ }} because Micronaut would resolve {@code ${...}} itself: {@code file:/secrets/connect.properties:key}
 * becomes {@code ${file:/secrets/connect.properties:key}} in the connector's configuration, and is resolved here
 * (within {@code sluice.connect.file-allowed-paths}) only to check the table.
 */
@ConfigurationProperties("sluice.datasets.jdbc")
public class JdbcDatasetSettings {

    private String url = "";
    private String user = "";
    private String passwordReference = "";

    /** JDBC URL without credentials, e.g. {@code jdbc:postgresql://127.0.0.1:5432/warehouse}. */
    public String getUrl() {
        return url;
    }

    public void setUrl(String url) {
        this.url = url;
    }

    /** The role the JDBC sources connect as: SELECT on the tables, nothing else. */
    public String getUser() {
        return user;
    }

    public void setUser(String user) {
        this.user = user;
    }

    /** {@code file:<path>:<key>} or {@code env:<VAR>}; empty: no password. */
    public String getPasswordReference() {
        return passwordReference;
    }

    public void setPasswordReference(String passwordReference) {
        this.passwordReference = passwordReference;
    }

    /** The password as a connector configuration carries it: the reference in {@code ${ }}, or empty. */
    String connectPassword() {
        return passwordReference == null || passwordReference.isBlank() ? "" : "${" + passwordReference.strip() + "}";
    }
}
