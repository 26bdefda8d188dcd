package dev.sluice.app.silver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PiiPolicyTest {

    @Test
    void hashesAreKeyedStableAndNormalised() {
        PiiPolicy keyed = policy(PiiAction.HASH, "k1");
        assertEquals(keyed.email("Ada@Example.com "), keyed.email("ada@example.com"));
        assertNotEquals(keyed.email("ada@example.com"), policy(PiiAction.HASH, "k2").email("ada@example.com"),
                "another key, another hash");
        assertTrue(keyed.keyed());
        assertFalse(policy(PiiAction.HASH, "").keyed());
        assertEquals("d2f3a9b8a4a5cbbba5ff3e4e1d5b7b4a8d7b1a35c2b3bba1c9ef1d7cc2e1a0b2".length(),
                keyed.email("x@y.z").length());
    }

    @Test
    void maskingKeepsAHintOnly() {
        PiiPolicy mask = policy(PiiAction.MASK, "");
        assertEquals("a***@example.com", mask.email("ada@example.com"));
        assertEquals("A*** L***", mask.fullName("Ada  Lovelace"));
        assertEquals("\uD83D\uDE80***", mask.fullName("\uD83D\uDE80rocket"), "a whole code point, not half of one");
    }

    @Test
    void dropAndKeep() {
        assertNull(policy(PiiAction.DROP, "").email("ada@example.com"));
        assertEquals("ada@example.com", policy(PiiAction.KEEP, "").email("ada@example.com"));
        assertNull(policy(PiiAction.HASH, "k").email(null));
    }

    @Test
    void theHashKeyNeverShowsInToString() {
        PiiSettings settings = new PiiSettings();
        settings.setHashKey("s3cret");
        assertFalse(settings.toString().contains("s3cret"));
    }

    private static PiiPolicy policy(PiiAction action, String key) {
        PiiSettings settings = new PiiSettings();
        settings.setEmail(action);
        settings.setFullName(action);
        settings.setHashKey(key);
        return new PiiPolicy(settings);
    }
}
