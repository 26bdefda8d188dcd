package dev.sluice.connect.s3;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version of the connectors artifact, from the pom.properties Maven puts into every jar. */
final class SinkVersion {

    private static final String POM_PROPERTIES = "/META-INF/maven/dev.sluice/sluice-connectors/pom.properties";
    private static final String VERSION = load();

    private SinkVersion() {
    }

    static String get() {
        return VERSION;
    }

    private static String load() {
        try (InputStream in = SinkVersion.class.getResourceAsStream(POM_PROPERTIES)) {
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
