package dev.sluice.app.query;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

import org.apache.kafka.streams.state.HostInfo;

import io.micronaut.core.annotation.Nullable;

/**
 * Where a query is answered, decided from Kafka Streams' metadata alone (pure, so that the decisions are tested
 * without a cluster). A key's partition is asked of its active instance first; when that cannot answer (a
 * rebalance moves the task, the instance is gone or restoring), of a standby replica, which may be a little behind;
 * when none can, the query is answered 503. Without {@code application.server} the instance assumes it is alone
 * and answers everything itself.
 */
final class Routing {

    private static final Comparator<HostInfo> HOST_ORDER = Comparator.comparing(HostInfo::host)
            .thenComparingInt(HostInfo::port);

    private Routing() {
    }

    /**
     * One place to ask: this instance ({@code host} null) or another one, for the active copy only or for any copy
     * (a standby, or an active task still restoring).
     */
    record Target(@Nullable HostInfo host, boolean stale) {

        static Target local(boolean stale) {
            return new Target(null, stale);
        }

        static Target remote(HostInfo host, boolean stale) {
            return new Target(host, stale);
        }

        boolean isLocal() {
            return host == null;
        }

        @Override
        public String toString() {
            return (host == null ? "local" : host.host() + ":" + host.port()) + (stale ? "(any copy)" : "(active)");
        }
    }

    /** The partitions of one store one instance holds, active and standby. */
    record HostPartitions(HostInfo host, Set<Integer> active, Set<Integer> standby) {
    }

    /**
     * The partitions of a store to ask each instance for, and for each partition where to go when the first answer
     * fails. A partition that no instance holds as active appears only among the fallbacks.
     */
    record FanOutPlan(Map<Target, SortedSet<Integer>> primary, Map<Integer, List<Target>> fallbacks) {
    }

    /**
     * The places to ask for a key, in order.
     *
     * @param self     this instance's {@code application.server}; null when not configured
     * @param active   the key's active instance; null or {@link HostInfo#unavailable()} when unknown (rebalance)
     * @param standbys instances with a standby replica of the key's partition
     */
    static List<Target> forKey(@Nullable HostInfo self, @Nullable HostInfo active, Set<HostInfo> standbys) {
        List<Target> targets = new ArrayList<>();
        if (self == null) {
            targets.add(Target.local(false));
            targets.add(Target.local(true));
            return targets;
        }
        boolean known = active != null && !active.equals(HostInfo.unavailable());
        boolean activeHere = !known || active.equals(self);
        targets.add(activeHere ? Target.local(false) : Target.remote(active, false));
        if (activeHere || standbys.contains(self)) {
            targets.add(Target.local(true));
        }
        standbys.stream().filter(host -> !host.equals(self)).sorted(HOST_ORDER)
                .forEach(host -> targets.add(Target.remote(host, true)));
        return targets;
    }

    /**
     * The plan of a query over every partition of a store.
     *
     * @param partitions the store's partition count
     * @param self       this instance's {@code application.server}; null when not configured
     * @param hosts      the instances holding the store, from {@code streamsMetadataForStore}
     */
    static FanOutPlan fanOut(int partitions, @Nullable HostInfo self, Collection<HostPartitions> hosts) {
        Map<Target, SortedSet<Integer>> primary = new LinkedHashMap<>();
        Map<Integer, List<Target>> fallbacks = new TreeMap<>();
        if (self == null) {
            for (int p = 0; p < partitions; p++) {
                primary.computeIfAbsent(Target.local(false), t -> new TreeSet<>()).add(p);
                fallbacks.put(p, List.of(Target.local(true)));
            }
            return new FanOutPlan(primary, fallbacks);
        }
        List<HostPartitions> sorted = hosts.stream().sorted(Comparator.comparing(HostPartitions::host, HOST_ORDER))
                .toList();
        for (int p = 0; p < partitions; p++) {
            int partition = p;
            HostInfo owner = sorted.stream().filter(h -> h.active().contains(partition)).map(HostPartitions::host)
                    .findFirst().orElse(null);
            if (owner != null) {
                primary.computeIfAbsent(target(owner, self, false), t -> new TreeSet<>()).add(p);
            }
            List<Target> others = new ArrayList<>();
            if (self.equals(owner) || sorted.stream().anyMatch(h -> h.host().equals(self)
                    && h.standby().contains(partition))) {
                others.add(Target.local(true));
            }
            sorted.stream().filter(h -> !h.host().equals(self) && h.standby().contains(partition))
                    .forEach(h -> others.add(Target.remote(h.host(), true)));
            fallbacks.put(p, others);
        }
        return new FanOutPlan(primary, fallbacks);
    }

    private static Target target(HostInfo host, HostInfo self, boolean stale) {
        return host.equals(self) ? Target.local(stale) : Target.remote(host, stale);
    }
}
