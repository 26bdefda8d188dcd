package dev.sluice.app.dataset;

import java.nio.file.Path;

import io.micronaut.context.annotation.ConfigurationProperties;

/**
 * Where the dataset specifications live ({@code sluice.datasets.*}, the core keys; the API and the source actions
 * read their own keys of the same prefix in their own classes).
 */
@ConfigurationProperties("sluice.datasets")
public class DatasetSettings {

    /** The default CDC connector, that of {@code ./sluice up}. */
    public static final String DEFAULT_CDC_CONNECTOR = "shop-cdc";

    private Path dir = Path.of("datasets");
    private String cdcConnector = DEFAULT_CDC_CONNECTOR;

    /** The directory of the {@code <name>.yaml} files, relative to the working directory unless absolute. */
    public Path getDir() {
        return dir;
    }

    public void setDir(Path dir) {
        this.dir = dir;
    }

    /** The CDC connector a {@code cdc} source uses when it names none. */
    public String getCdcConnector() {
        return cdcConnector;
    }

    public void setCdcConnector(String cdcConnector) {
        this.cdcConnector = cdcConnector;
    }
}
