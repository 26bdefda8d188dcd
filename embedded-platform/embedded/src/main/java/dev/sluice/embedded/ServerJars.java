package dev.sluice.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Where the build copied the jars of servers that run as child JVMs (see this module's pom). System properties
 * {@code sluice.s3proxy.jar} and {@code sluice.registry.jar} override the built-in locations.
 */
final class ServerJars {

    private static final Properties LOCATIONS = load();

    private ServerJars() {
    }

    static Path s3proxy() {
        return locate("s3proxy.jar", "S3 server (s3proxy)");
    }

    static Path registry() {
        return locate("registry.jar", "schema registry");
    }

    private static Path locate(String key, String what) {
        String location = System.getProperty("sluice." + key, LOCATIONS.getProperty(key));
        if (location == null || !Files.isRegularFile(Path.of(location))) {
            throw new ComponentStartException(what, "its jar is missing at " + location
                    + "; build the project first (./mvnw package -DskipTests)");
        }
        return Path.of(location);
    }

    private static Properties load() {
        Properties properties = new Properties();
        try (InputStream in = ServerJars.class.getResourceAsStream("/sluice-embedded-servers.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }
}
