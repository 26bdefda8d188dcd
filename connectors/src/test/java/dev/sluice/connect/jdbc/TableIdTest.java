package dev.sluice.connect.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TableIdTest {

    @Test
    void parsesOneTwoOrThreeParts() {
        assertEquals(new TableId(null, null, "orders"), TableId.parse("orders"));
        assertEquals(new TableId(null, "public", "orders"), TableId.parse(" public.orders "));
        assertEquals(new TableId("warehouse", "public", "orders"), TableId.parse("warehouse.public.orders"));
    }

    @Test
    void rejectsEmptyPartsAndTooManyParts() {
        assertThrows(IllegalArgumentException.class, () -> TableId.parse(""));
        assertThrows(IllegalArgumentException.class, () -> TableId.parse("public."));
        assertThrows(IllegalArgumentException.class, () -> TableId.parse("a.b.c.d"));
    }

    @Test
    void dottedNameRoundTrips() {
        assertEquals("warehouse.public.orders", TableId.parse("warehouse.public.orders").dottedName());
        assertEquals("orders", new TableId("", " ", "orders").dottedName());
    }
}
