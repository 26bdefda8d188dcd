package dev.sluice.connect.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

class ConnectorTemplatesTest {

    private final ConnectorTemplate cdc = new ConnectorTemplates().get(ConnectorTemplates.POSTGRES_CDC);

    @Test
    void rendersDefaultsAndLeavesConfigProviderReferencesForTheWorker() {
        Map<String, String> config = cdc.render(Map.of(
                "database.password", "${file:/state/secrets.properties:postgres.password}",
                "registry.url", "http://127.0.0.1:8081/apis/registry/v2",
                "database.port", "5433"));
        assertEquals("5433", config.get("database.port"));
        assertEquals("127.0.0.1", config.get("database.hostname"));
        assertEquals("${file:/state/secrets.properties:postgres.password}", config.get("database.password"));
        assertEquals("http://127.0.0.1:8081/apis/registry/v2", config.get("value.converter.apicurio.registry.url"));
        assertFalse(config.values().stream().anyMatch(v -> v.contains("{{")), "no placeholder left: " + config);
    }

    @Test
    void namesEveryMissingAndUnknownParameter() {
        TemplateException e = assertThrows(TemplateException.class,
                () -> cdc.render(Map.of("database.pasword", "x")));
        assertTrue(e.problems().stream().anyMatch(p -> p.contains("unknown parameter 'database.pasword'")));
        assertTrue(e.problems().stream().anyMatch(p -> p.contains("missing required parameter 'database.password'")));
        assertTrue(e.problems().stream().anyMatch(p -> p.contains("missing required parameter 'registry.url'")));
    }

    @Test
    void marksThePasswordAsSecret() {
        assertTrue(cdc.parameters().get("database.password").secret());
        assertFalse(cdc.parameters().get("database.hostname").secret());
    }

    @Test
    void unknownTemplateNamesTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ConnectorTemplates().get("nope"));
        assertTrue(e.getMessage().contains(ConnectorTemplates.POSTGRES_CDC));
    }
}
