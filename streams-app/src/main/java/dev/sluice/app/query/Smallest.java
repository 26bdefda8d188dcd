package dev.sluice.app.query;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Keeps the first {@code capacity} items of a stream in a given order, in O(capacity) memory: a page of a scan whose
 * iterator does not return items in the page's order (window and session stores iterate by time segment).
 */
final class Smallest<T> {

    private final int capacity;
    private final Comparator<T> order;
    private final PriorityQueue<T> largestFirst;

    Smallest(int capacity, Comparator<T> order) {
        this.capacity = capacity;
        this.order = order;
        this.largestFirst = new PriorityQueue<>(Math.max(1, Math.min(capacity, 1024)) + 1, order.reversed());
    }

    void offer(T item) {
        if (capacity <= 0) {
            return;
        }
        if (largestFirst.size() < capacity) {
            largestFirst.add(item);
        } else if (order.compare(item, largestFirst.peek()) < 0) {
            largestFirst.poll();
            largestFirst.add(item);
        }
    }

    /** The items kept, in order. */
    List<T> sorted() {
        List<T> items = new ArrayList<>(largestFirst);
        items.sort(order);
        return items;
    }
}
