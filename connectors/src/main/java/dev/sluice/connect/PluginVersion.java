package dev.sluice.connect;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The project version the connectors plugin (sink, JDBC source, transforms) was built from, written into a resource by
 * the build (resource filtering in connectors/pom.xml), so that it is known in a jar and on a class path alike.
 */
public final class PluginVersion {

    private static final String RESOURCE = "version.properties";
    private static final String VERSION = load();

    private PluginVersion() {
    }

    public static String get() {
        return VERSION;
    }

    private static String load() {
        try (InputStream in = PluginVersion.class.getResourceAsStream(RESOURCE)) {
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
