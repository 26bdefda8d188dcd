package dev.sluice.app.alerts;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.micronaut.core.annotation.Nullable;

/**
 * The alerts of one instance and their state, keyed by rule and labels: a breach is PENDING until it has lasted
 * the rule's for-duration, then FIRING; when the rule no longer sees it, a FIRING alert becomes RESOLVED and a
 * PENDING one is forgotten. Each transition to FIRING or RESOLVED is answered exactly once by {@link #apply}, so a
 * notification per transition and no repeats while an alert stays as it is (deduplication). The last
 * {@code recent} transitions are kept for {@code GET /api/alerts}.
 */
public class AlertBook {

    private record Key(String rule, Map<String, String> labels) {
    }

    private static final class Entry {
        private final Instant since;
        private String summary;
        private @Nullable Instant firedAt;

        Entry(Instant since, String summary) {
            this.since = since;
            this.summary = summary;
        }
    }

    private final int recentLimit;
    private final Map<Key, Entry> active = new LinkedHashMap<>();
    private final Deque<AlertView> recent = new ArrayDeque<>();

    public AlertBook(int recentLimit) {
        this.recentLimit = recentLimit;
    }

    /**
     * Applies what {@code rule} sees now.
     *
     * @return the alerts that started firing or resolved with this evaluation, to notify
     */
    public synchronized List<AlertView> apply(String rule, List<Finding> findings, Duration forDuration,
            Instant now) {
        List<AlertView> transitions = new ArrayList<>();
        Set<Key> seen = new HashSet<>();
        for (Finding finding : findings) {
            Key key = new Key(rule, finding.labels());
            seen.add(key);
            Entry entry = active.computeIfAbsent(key, k -> new Entry(now, finding.summary()));
            entry.summary = finding.summary();
            if (entry.firedAt == null && !now.isBefore(entry.since.plus(forDuration))) {
                entry.firedAt = now;
                transitions.add(remember(view(key, entry, AlertState.FIRING, null)));
            }
        }
        for (Iterator<Map.Entry<Key, Entry>> it = active.entrySet().iterator(); it.hasNext();) {
            Map.Entry<Key, Entry> known = it.next();
            if (known.getKey().rule().equals(rule) && !seen.contains(known.getKey())) {
                it.remove();
                if (known.getValue().firedAt != null) {
                    transitions.add(remember(view(known.getKey(), known.getValue(), AlertState.RESOLVED, now)));
                }
            }
        }
        return transitions;
    }

    /** Pending and firing alerts. */
    public synchronized List<AlertView> active() {
        List<AlertView> views = new ArrayList<>();
        active.forEach((key, entry) -> views.add(view(key, entry,
                entry.firedAt == null ? AlertState.PENDING : AlertState.FIRING, null)));
        return views;
    }

    /** The last transitions to FIRING or RESOLVED, newest first. */
    public synchronized List<AlertView> recent() {
        return List.copyOf(recent);
    }

    private AlertView remember(AlertView view) {
        recent.addFirst(view);
        while (recent.size() > recentLimit) {
            recent.removeLast();
        }
        return view;
    }

    private static AlertView view(Key key, Entry entry, AlertState state, @Nullable Instant resolvedAt) {
        return new AlertView(key.rule(), key.labels(), state, entry.summary, entry.since.toString(),
                entry.firedAt == null ? null : entry.firedAt.toString(),
                resolvedAt == null ? null : resolvedAt.toString());
    }
}
