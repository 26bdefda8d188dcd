package dev.sluice.app.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SecretSettingsCheckTest {

    @Test
    void placeholdersShortAndUnresolvedValuesAreNotSecrets() {
        assertTrue(SecretSettingsCheck.weakness("change-me-api-token").orElseThrow().contains("change-me"));
        assertTrue(SecretSettingsCheck.weakness("change-me").isPresent(), "the k8s example value");
        assertTrue(SecretSettingsCheck.weakness("${env:SLUICE_API_TOKEN}").orElseThrow().contains("unresolved"));
        assertTrue(SecretSettingsCheck.weakness("hunter2").orElseThrow().contains("shorter"));
        assertTrue(SecretSettingsCheck.weakness("a".repeat(40)).orElseThrow().contains("distinct"));
        assertEquals(Optional.empty(), SecretSettingsCheck.weakness("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b"));
    }

    @Test
    void theAppRefusesToStartWithAPlaceholderTokenNamingTheSettingNotTheValue() {
        RuntimeException refused = assertThrows(RuntimeException.class, () -> ApplicationContext.run(
                EmbeddedServer.class, Map.of("micronaut.server.port", -1, "kafka.enabled", false,
                        "sluice.api.token", "change-me-api-token")));
        String message = messages(refused);
        assertTrue(message.contains("sluice.api.token (SLUICE_API_TOKEN) is rejected"), message);
        assertFalse(message.contains("change-me-api-token"), "the value is not echoed: " + message);
    }

    @Test
    void theAppRefusesToStartWithAShortPiiHashKey() {
        RuntimeException refused = assertThrows(RuntimeException.class, () -> ApplicationContext.run(
                EmbeddedServer.class, Map.of("micronaut.server.port", -1, "kafka.enabled", false,
                        "sluice.pii.hash-key", "short-key")));
        assertTrue(messages(refused).contains("sluice.pii.hash-key (SLUICE_PII_HASH_KEY) is rejected"),
                messages(refused));
    }

    private static String messages(Throwable error) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = error; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append('\n');
        }
        return all.toString();
    }
}
