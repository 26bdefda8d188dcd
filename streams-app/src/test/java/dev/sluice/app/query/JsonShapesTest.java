package dev.sluice.app.query;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;

/**
 * The JSON the query API writes, as the service's own serializer writes it: every field present (null rather than
 * missing, empty lists kept), amounts as decimal strings, times as ISO-8601 strings; and pages read back as
 * another instance reads them.
 */
class JsonShapesTest {

    private static final ObjectMapper TREE = new ObjectMapper();
    private static final JsonMapper JSON = io.micronaut.serde.ObjectMapper.getDefault();

    @Test
    void amountsAreDecimalStringsAndEveryFieldIsPresent() throws Exception {
        ProductHourView hour = new ProductHourView(7, null, "2026-11-22T10:00:00Z", "2026-11-22T11:00:00Z", "EUR",
                "1234567890123.10", 3, 2, 0);
        JsonNode tree = TREE.readTree(JSON.writeValueAsBytes(hour));
        assertEquals("1234567890123.10", tree.get("revenue").textValue(), "a string, exactly");
        assertEquals(true, tree.has("productName") && tree.get("productName").isNull(), "null, not missing");
        assertEquals(List.of("productId", "productName", "windowStart", "windowEnd", "currency", "revenue",
                "quantity", "lineCount", "unconvertedLineCount"), fields(tree));
    }

    @Test
    void anEmptyLastPageHasItsItemsAndItsNullCursor() throws Exception {
        JsonNode tree = TREE.readTree(JSON.writeValueAsBytes(new Page<>(List.of(), null)));
        assertEquals("{\"items\":[],\"next\":null}", tree.toString());
    }

    @Test
    void totalsOverNoHoursAreZeroWithOpenRangeEnds() throws Exception {
        ProductRevenue none = GoldSummaries.productTotals(7, TimeRange.ALL, List.of());
        JsonNode tree = TREE.readTree(JSON.writeValueAsBytes(none));
        assertEquals("0.00", tree.get("revenue").textValue());
        assertEquals(true, tree.get("from").isNull() && tree.get("to").isNull() && tree.get("currency").isNull());
        assertEquals(0, tree.get("hours").size());
    }

    @Test
    void totalsAddTheHoursExactly() {
        ProductRevenue sum = GoldSummaries.productTotals(7, TimeRange.ALL, List.of(
                new ProductHourView(7, "P", "2026-11-22T10:00:00Z", "2026-11-22T11:00:00Z", "EUR", "0.10", 1, 1, 0),
                new ProductHourView(7, "P", "2026-11-22T11:00:00Z", "2026-11-22T12:00:00Z", "EUR", "0.20", 2, 1, 1)));
        assertEquals("0.30", sum.revenue(), "no binary floating point");
        assertEquals(3, sum.quantity());
        assertEquals(1, sum.unconvertedLineCount());
    }

    @Test
    void pagesReadBackWithTheirItemType() throws Exception {
        Page<SessionView> page = new Page<>(List.of(new SessionView("u1", "2026-11-22T10:00:00Z",
                "2026-11-22T10:05:00Z", 3, 1, 1, 1, 0, 0)), "abc");
        Page<SessionView> read = JSON.readValue(JSON.writeValueAsBytes(page), Argument.of(Page.class,
                SessionView.class));
        assertEquals(page, read);
    }

    private static List<String> fields(JsonNode tree) {
        List<String> names = new java.util.ArrayList<>();
        tree.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
