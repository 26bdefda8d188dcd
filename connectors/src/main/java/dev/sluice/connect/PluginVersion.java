package dev.sluice.connect;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version of the connectors artifact (sink and transforms), from the pom.properties Maven puts into every jar. */
public final class PluginVersion {

    private static final String POM_PROPERTIES = "/META-INF/maven/dev.sluice/sluice-connectors/pom.properties";
    private static final String VERSION = load();

    private PluginVersion() {
    }

    public static String get() {
        return VERSION;
    }

    private static String load() {
        try (InputStream in = PluginVersion.class.getResourceAsStream(POM_PROPERTIES)) {
            if (in == null) {
                return "unknown";
            }
            Properties props = new Properties();
            props.load(in);
            return props.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
