package dev.sluice.app.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SortedMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetDirectoryTest {

    private static final List<String> SHOP = List.of("customers", "exchange_rates", "product_catalog", "products",
            "user_events");

    @TempDir
    Path tmp;

    @Test
    void anAbsentDirectoryIsSeededWithTheBuiltInShopSpecifications() {
        Path dir = tmp.resolve("datasets");
        SortedMap<String, DatasetSpec> specs = new DatasetDirectory(dir, new DatasetSpecParser("shop-cdc")).load();
        assertEquals(SHOP, List.copyOf(specs.keySet()));
        for (String name : SHOP) {
            assertTrue(Files.isRegularFile(dir.resolve(name + ".yaml")), name);
        }
        assertEquals(SHOP.size(), DatasetDirectory.builtIns().size());
    }

    @Test
    void aDirectoryWithSpecificationsIsReadAsItIs() throws IOException {
        Files.writeString(tmp.resolve("suppliers.yaml"), "name: suppliers\nsource: {kind: topic, topic: t}\n");
        Files.writeString(tmp.resolve("notes.txt"), "not a spec");
        DatasetDirectory directory = new DatasetDirectory(tmp, new DatasetSpecParser("shop-cdc"));
        assertEquals(List.of("suppliers"), List.copyOf(directory.load().keySet()));
    }

    @Test
    void aWrongFileFailsTheLoadNamingItsPath() throws IOException {
        Files.writeString(tmp.resolve("suppliers.yaml"), "name: suppliers\nsource: {kind: tpoic}\n");
        InvalidDatasetException e = assertThrows(InvalidDatasetException.class,
                () -> new DatasetDirectory(tmp, new DatasetSpecParser("shop-cdc")).load());
        assertEquals(tmp.resolve("suppliers.yaml").toString(), e.file());
        assertEquals("source.kind", e.field());
    }

    @Test
    void theFingerprintChangesWithAnyFile() throws IOException {
        DatasetDirectory directory = new DatasetDirectory(tmp, new DatasetSpecParser("shop-cdc"));
        Files.writeString(tmp.resolve("a.yaml"), "name: a\nsource: {kind: topic, topic: t}\n");
        String first = directory.fingerprint();
        assertEquals(first, directory.fingerprint());
        Files.writeString(tmp.resolve("a.yaml"), "name: a\nsource: {kind: topic, topic: u}\n");
        String changed = directory.fingerprint();
        assertNotEquals(first, changed);
        Files.writeString(tmp.resolve("b.yaml"), "name: b\nsource: {kind: topic, topic: t}\n");
        assertNotEquals(changed, directory.fingerprint());
    }
}
