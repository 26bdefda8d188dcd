package dev.sluice.app.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.sluice.connect.template.ConnectorTemplates;

class SecretMaskerTest {

    private final SecretMasker masker = new SecretMasker(new ConnectorTemplates());

    @ParameterizedTest
    @ValueSource(strings = {"database.password", "connection.password", "aws.access.key.id", "aws.secret.access.key",
            "api.key", "apikey", "ssl.key.password", "ssl.keystore.password", "sasl.jaas.config", "auth.token",
            "value.converter.apicurio.registry.auth.client.secret", "Database.PASSWORD", "oauth_credentials"})
    void secretSettings(String key) {
        assertTrue(masker.isSecretKey(key), key);
    }

    @ParameterizedTest
    @ValueSource(strings = {"key.converter", "key.converter.apicurio.registry.url", "key.columns", "value.converter",
            "topic.prefix", "tables", "connection.url", "ssl.keystore.location", "transforms.unwrap.type",
            "publication.name", "message.key.columns", "transforms.route.key.field.name", "record.key.fields"})
    void ordinarySettings(String key) {
        assertFalse(masker.isSecretKey(key), key);
    }

    @Test
    void masksLiteralSecretsButShowsConfigProviderReferences() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("database.password", "hunter22");
        config.put("connection.password", "${file:/etc/sluice/secrets.properties:pg.password}");
        config.put("aws.secret.access.key", "${env:AWS_SECRET_ACCESS_KEY}");
        config.put("api.key", "prefix-${env:KEY}");
        config.put("connection.url", "jdbc:postgresql://db:5432/shop?user=app&password=hunter22&ssl=true");
        config.put("registry.url", "http://admin:hunter22@registry:8081/apis");
        config.put("tables", "orders");

        Map<String, String> masked = masker.mask(config);

        assertEquals(SecretMasker.MASK, masked.get("database.password"));
        assertEquals("${file:/etc/sluice/secrets.properties:pg.password}", masked.get("connection.password"));
        assertEquals("${env:AWS_SECRET_ACCESS_KEY}", masked.get("aws.secret.access.key"));
        assertEquals(SecretMasker.MASK, masked.get("api.key"), "literal text around a reference is a secret");
        assertEquals("jdbc:postgresql://db:5432/shop?user=app&password=********&ssl=true",
                masked.get("connection.url"));
        assertEquals("http://admin:********@registry:8081/apis", masked.get("registry.url"));
        assertEquals("orders", masked.get("tables"));
        assertFalse(masked.toString().contains("hunter22"));
    }

    @Test
    void scrubsLiteralSecretsFromFreeText() {
        Map<String, String> config = Map.of("database.password", "hunter22", "connection.password",
                "${env:PG}", "tables", "orders");
        Set<String> secrets = masker.literalSecrets(config);
        assertEquals(Set.of("hunter22"), secrets);
        assertEquals("login with ******** failed for orders",
                masker.scrub("login with hunter22 failed for orders", secrets));
        assertEquals("no secrets here", masker.scrub("no secrets here", List.of("ab")),
                "values too short to be told from words are left alone");
    }

    @Test
    void theMaskItselfIsNotASecretToScrub() {
        assertEquals(Set.of(), masker.literalSecrets(Map.of("database.password", SecretMasker.MASK)));
    }
}
