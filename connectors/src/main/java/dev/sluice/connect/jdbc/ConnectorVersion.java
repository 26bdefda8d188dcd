package dev.sluice.connect.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The project version the plugin was built from, written into a resource by the build. */
final class ConnectorVersion {

    private static final String RESOURCE = "version.properties";
    private static final String VERSION = load();

    private ConnectorVersion() {
    }

    static String get() {
        return VERSION;
    }

    private static String load() {
        try (InputStream in = ConnectorVersion.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return "unknown";
            }
            Properties props = new Properties();
            props.load(in);
            String version = props.getProperty("version", "unknown").trim();
            return version.isEmpty() || version.startsWith("${") ? "unknown" : version;
        } catch (IOException e) {
            return "unknown";
        }
    }
}
