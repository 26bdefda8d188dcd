package dev.sluice.app.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigReferenceResolverTest {

    @TempDir
    Path dir;

    @Test
    void resolvesFileReferencesLikeTheWorker() throws Exception {
        Path secrets = Files.writeString(dir.resolve("secrets.properties"), "postgres.password=hunter22\n");
        ConfigReferenceResolver resolver = new ConfigReferenceResolver(new ConnectConfiguration());
        assertEquals("hunter22", resolver.resolve("database.password", "${file:" + secrets + ":postgres.password}"));
        assertEquals("plain", resolver.resolve("database.password", "plain"));
    }

    @Test
    void aMissingKeyIsAnErrorNamingTheSettingNotAValue() throws Exception {
        Path secrets = Files.writeString(dir.resolve("secrets.properties"), "other=hunter22\n");
        ConfigReferenceResolver resolver = new ConfigReferenceResolver(new ConnectConfiguration());
        ApiException e = assertThrows(ApiException.class, () -> resolver.resolve("database.password",
                "${file:" + secrets + ":postgres.password}"));
        assertEquals(500, e.status().getCode());
        assertTrue(e.getMessage().contains("database.password"), e.getMessage());
        assertTrue(!e.getMessage().contains("hunter22"));
    }

    @Test
    void filesOutsideTheAllowedPathsAreNotRead() throws Exception {
        Path secrets = Files.writeString(dir.resolve("secrets.properties"), "postgres.password=hunter22\n");
        ConnectConfiguration configuration = new ConnectConfiguration();
        configuration.setFileAllowedPaths(Files.createDirectory(dir.resolve("allowed")).toString());
        ConfigReferenceResolver resolver = new ConfigReferenceResolver(configuration);
        assertThrows(ApiException.class, () -> resolver.resolve("database.password",
                "${file:" + secrets + ":postgres.password}"));
    }

    @Test
    void thisServicesOwnEnvironmentIsNotResolvable() {
        ConfigReferenceResolver resolver = new ConfigReferenceResolver(new ConnectConfiguration());
        assertThrows(ApiException.class, () -> resolver.resolve("database.password", "${env:SLUICE_API_TOKEN}"));
        String path = System.getenv("PATH");
        assertEquals(path, resolver.resolve("x", "${env:PATH}"));
    }
}
