package dev.sluice.app.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.sluice.app.query.StoreQueryService.Gathered;

/**
 * Merging what the partitions of a store returned into one page: each partition returns at most limit + 1 items
 * after the cursor, in order, and the page is the first limit of them all; its cursor names the last item shown.
 */
class PagingTest {

    @Test
    void aPageIsTheFirstItemsOverAllPartitionsWithTheCursorOfItsLastItem() {
        Gathered<CustomerTotalsView> gathered = new Gathered<>(customers(9, 1, 5, 3, 7), false, Set.of("a", "b"),
                false);
        Page<CustomerTotalsView> page = gathered.page(StoreReads.CUSTOMER_ORDER, 3, StoreReads::cursorOf,
                KeyType.LONG);
        assertEquals(List.of(1L, 3L, 5L), ids(page));
        assertEquals(new Cursor(5L, 0), Cursor.decode(page.next(), KeyType.LONG));
    }

    @Test
    void theLastPageHasNoCursorUnlessAnInstanceSaidItHadMore() {
        assertNull(new Gathered<>(customers(2, 1), false, Set.of("a"), false).page(StoreReads.CUSTOMER_ORDER, 3,
                StoreReads::cursorOf, KeyType.LONG).next());
        Page<CustomerTotalsView> page = new Gathered<>(customers(2, 1, 3), true, Set.of("a"), false)
                .page(StoreReads.CUSTOMER_ORDER, 3, StoreReads::cursorOf, KeyType.LONG);
        assertEquals(new Cursor(3L, 0), Cursor.decode(page.next(), KeyType.LONG),
                "another instance returned a full page and has more after it");
        assertNull(new Gathered<CustomerTotalsView>(List.of(), true, Set.of(), false).page(StoreReads.CUSTOMER_ORDER,
                3, StoreReads::cursorOf, KeyType.LONG).next(), "nothing to continue from");
    }

    @Test
    void pagesOverPartitionsOfDifferentSizesNeitherLoseNorRepeatItems() {
        List<List<Long>> partitions = List.of(List.of(2L, 4L, 6L, 8L, 10L, 12L), List.of(1L), List.of(3L, 5L, 7L));
        List<Long> seen = new ArrayList<>();
        Cursor after = null;
        int limit = 2;
        for (int pages = 0; pages < 20; pages++) {
            List<CustomerTotalsView> items = new ArrayList<>();
            for (List<Long> partition : partitions) {
                Cursor from = after;
                partition.stream().filter(id -> from == null || id > (Long) from.key()).limit(limit + 1)
                        .forEach(id -> items.add(customer(id)));
            }
            Page<CustomerTotalsView> page = new Gathered<>(items, false, Set.of(), false)
                    .page(StoreReads.CUSTOMER_ORDER, limit, StoreReads::cursorOf, KeyType.LONG);
            seen.addAll(ids(page));
            if (page.next() == null) {
                break;
            }
            after = Cursor.decode(page.next(), KeyType.LONG);
        }
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 10L, 12L), seen);
    }

    @Test
    void cursorsRoundTripAndForeignTextIsABadRequest() {
        Cursor cursor = new Cursor("région|ß", 1_700_000_000_000L);
        assertEquals(cursor, Cursor.decode(cursor.encode(KeyType.STRING), KeyType.STRING));
        assertEquals(400, assertThrows(QueryException.class, () -> Cursor.decode("not base64!", KeyType.LONG))
                .status().getCode());
        assertEquals(400, assertThrows(QueryException.class, () -> Cursor.decode(
                new Cursor("EMEA", 0).encode(KeyType.STRING), KeyType.LONG)).status().getCode(),
                "a region cursor is no product cursor");
    }

    private static List<CustomerTotalsView> customers(long... ids) {
        List<CustomerTotalsView> list = new ArrayList<>();
        for (long id : ids) {
            list.add(customer(id));
        }
        return list;
    }

    private static CustomerTotalsView customer(long id) {
        return new CustomerTotalsView(id, "EUR", "1.00", 1, 0, "2026-11-20T00:00:00Z", "2026-11-20T00:00:00Z");
    }

    private static List<Long> ids(Page<CustomerTotalsView> page) {
        return page.items().stream().map(CustomerTotalsView::customerId).toList();
    }
}
