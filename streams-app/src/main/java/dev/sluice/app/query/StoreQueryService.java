package dev.sluice.app.query;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sluice.app.query.Forwarding.Scope;
import dev.sluice.app.query.LocalStores.PartitionUnavailableException;
import dev.sluice.app.query.Routing.Target;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

/**
 * Answers queries over the gold stores wherever their partitions live. A key query goes to the key's partition:
 * read here when this instance holds it, otherwise forwarded to the instance that does; a query over all keys asks
 * every instance for the partitions it holds, in parallel, and merges. When the active copy of a partition cannot
 * answer, a standby replica is asked; when no copy can, the query fails with 503 (never a partial answer, never an
 * empty one that only looks complete).
 */
@Requires(property = "kafka.enabled", notEquals = "false")
@Singleton
public class StoreQueryService {

    private static final Logger LOG = LoggerFactory.getLogger(StoreQueryService.class);

    private final StreamsInstance instance;
    private final StreamsMetadataService metadata;
    private final InstanceClient client;

    public StoreQueryService(StreamsInstance instance, StreamsMetadataService metadata, InstanceClient client) {
        this.instance = instance;
        this.metadata = metadata;
        this.client = client;
    }

    /**
     * The answer to a key query: a value read here (null: the store does not hold the key), or another instance's
     * answer to pass on as it is.
     *
     * @param value    the value read here
     * @param remote   the answer of another instance
     * @param servedBy who answered
     * @param stale    whether a copy other than the active one answered
     * @param <T>      the value type
     */
    public record KeyAnswer<T>(@Nullable T value, @Nullable InstanceClient.Answer remote, String servedBy,
            boolean stale) {
    }

    /**
     * What the partitions of a store gave for a query over all keys.
     *
     * @param items    every item the partitions returned (each partition at most the number asked for)
     * @param more     whether some instance had more items than it returned
     * @param servedBy who answered
     * @param stale    whether some partition was answered by a copy other than the active one
     * @param <T>      the item type
     */
    public record Gathered<T>(List<T> items, boolean more, Set<String> servedBy, boolean stale) {

        /** The first {@code limit} items in {@code order}, with the cursor of the next page when there is one. */
        public Page<T> page(Comparator<T> order, int limit, Function<T, Cursor> cursorOf, KeyType keyType) {
            List<T> sorted = new ArrayList<>(items);
            sorted.sort(order);
            List<T> page = List.copyOf(sorted.subList(0, Math.min(limit, sorted.size())));
            boolean hasNext = !page.isEmpty() && (sorted.size() > limit || more);
            return new Page<>(page, hasNext ? cursorOf.apply(page.get(page.size() - 1)).encode(keyType) : null);
        }
    }

    /** Items and the more-flag of one instance's answer to a forwarded query. */
    public record Partial<T>(List<T> items, boolean more) {
    }

    /**
     * A query for one key.
     *
     * @param pathAndQuery the request's path and query, to forward as they are
     * @param read         reads one partition here ({@code true}: any copy); null when the key is not there
     */
    public <T> KeyAnswer<T> byKey(GoldStore store, Object key, Scope scope, String pathAndQuery,
            PartitionRead<T> read) {
        if (scope.forwarded()) {
            int partition = scope.partitions().isEmpty() ? metadata.partitionOf(store, key)
                    : scope.partitions().first();
            try {
                return new KeyAnswer<>(read.read(partition, scope.anyCopy()), null, here(), scope.anyCopy());
            } catch (PartitionUnavailableException e) {
                throw QueryException.unavailable(e.getMessage());
            }
        }
        KeyQueryMetadata where = metadata.keyMetadata(store, key);
        int partition = where.partition();
        List<String> failures = new ArrayList<>();
        for (Target target : Routing.forKey(instance.self(), where.activeHost(), where.standbyHosts())) {
            if (target.isLocal()) {
                try {
                    return new KeyAnswer<>(read.read(partition, target.stale()), null, here(), target.stale());
                } catch (PartitionUnavailableException e) {
                    failures.add(target + ": " + e.getMessage());
                }
            } else {
                try {
                    InstanceClient.Answer answer = client.get(target.host(), pathAndQuery, here(),
                            forwardHeaders(Set.of(partition), target.stale()));
                    if (answer.status() < 500) {
                        return new KeyAnswer<>(null, answer, InstanceClient.authority(target.host()),
                                target.stale());
                    }
                    failures.add(target + ": answered " + answer.status());
                } catch (InstanceClient.UnreachableException e) {
                    failures.add(target + ": " + e.getMessage());
                }
            }
        }
        throw unavailable(store, Set.of(partition), failures);
    }

    /**
     * A query over every partition of a store (or, forwarded, over the partitions asked for).
     *
     * @param pathAndQuery  the request's path and query, to forward as they are
     * @param readPartition reads one partition here ({@code true}: any copy)
     * @param decode        the items of another instance's answer
     */
    public <T> Gathered<T> gather(GoldStore store, Scope scope, String pathAndQuery,
            PartitionRead<List<T>> readPartition, Function<byte[], Partial<T>> decode) {
        Collector<T> collector = new Collector<>();
        if (scope.forwarded()) {
            SortedSet<Integer> partitions = scope.partitions().isEmpty() ? all(metadata.partitions(store))
                    : scope.partitions();
            for (int partition : partitions) {
                try {
                    collector.add(readPartition.read(partition, scope.anyCopy()), false, here(), scope.anyCopy());
                } catch (PartitionUnavailableException e) {
                    throw QueryException.unavailable(e.getMessage());
                }
            }
            return collector.result();
        }
        int partitions = metadata.partitions(store);
        Routing.FanOutPlan plan = Routing.fanOut(partitions, instance.self(), metadata.assignment(store));
        SortedSet<Integer> pending = all(partitions);
        List<String> failures = new ArrayList<>();
        Map<Target, SortedSet<Integer>> round = plan.primary();
        for (int attempt = 0; !round.isEmpty(); attempt++) {
            execute(round, pathAndQuery, readPartition, decode, collector, pending, failures);
            round = nextRound(plan, pending, attempt);
        }
        if (!pending.isEmpty()) {
            throw unavailable(store, pending, failures);
        }
        return collector.result();
    }

    private <T> void execute(Map<Target, SortedSet<Integer>> round, String pathAndQuery,
            PartitionRead<List<T>> readPartition, Function<byte[], Partial<T>> decode,
            Collector<T> collector, SortedSet<Integer> pending, List<String> failures) {
        Map<Target, CompletableFuture<InstanceClient.Answer>> remote = new LinkedHashMap<>();
        round.forEach((target, partitions) -> {
            if (!target.isLocal()) {
                remote.put(target, client.getAsync(target.host(), pathAndQuery, here(),
                        forwardHeaders(partitions, target.stale())));
            }
        });
        round.forEach((target, partitions) -> {
            if (target.isLocal()) {
                for (int partition : partitions) {
                    try {
                        collector.add(readPartition.read(partition, target.stale()), false, here(),
                                target.stale());
                        pending.remove(partition);
                    } catch (PartitionUnavailableException e) {
                        failures.add(target + ": " + e.getMessage());
                    }
                }
            }
        });
        remote.forEach((target, future) -> {
            try {
                InstanceClient.Answer answer = future.join();
                if (answer.status() == 200) {
                    Partial<T> partial = decode.apply(answer.body());
                    collector.add(partial.items(), partial.more(), InstanceClient.authority(target.host()),
                            target.stale());
                    pending.removeAll(round.get(target));
                } else {
                    failures.add(target + ": answered " + answer.status());
                }
            } catch (CompletionException e) {
                failures.add(target + ": " + (e.getCause() == null ? e : e.getCause()).getMessage());
            }
        });
    }

    /** The targets of the next attempt: for each partition still pending, its next fallback. */
    private static Map<Target, SortedSet<Integer>> nextRound(Routing.FanOutPlan plan, SortedSet<Integer> pending,
            int attempt) {
        Map<Target, SortedSet<Integer>> round = new LinkedHashMap<>();
        for (int partition : pending) {
            List<Target> fallbacks = plan.fallbacks().getOrDefault(partition, List.of());
            if (attempt < fallbacks.size()) {
                round.computeIfAbsent(fallbacks.get(attempt), t -> new TreeSet<>()).add(partition);
            }
        }
        return round;
    }

    private QueryException unavailable(GoldStore store, Set<Integer> partitions, List<String> failures) {
        LOG.info("store query unavailable store={} partitions={} attempts={}", store.storeName(), partitions,
                failures);
        return QueryException.unavailable("partition(s) " + Forwarding.header(partitions) + " of store "
                + store.storeName() + " cannot be read right now (rebalancing or restoring, and no standby replica "
                + "could answer); retry later");
    }

    private static Map<String, String> forwardHeaders(Set<Integer> partitions, boolean anyCopy) {
        return Map.of(Forwarding.PARTITIONS, Forwarding.header(partitions), Forwarding.ANY_COPY,
                Boolean.toString(anyCopy));
    }

    /** This instance, as it names itself to others. */
    public String here() {
        HostInfo self = instance.self();
        return self == null ? "local" : InstanceClient.authority(self);
    }

    private static SortedSet<Integer> all(int partitions) {
        SortedSet<Integer> all = new TreeSet<>();
        for (int p = 0; p < partitions; p++) {
            all.add(p);
        }
        return all;
    }

    private static final class Collector<T> {
        private final List<T> items = new ArrayList<>();
        private final Set<String> servedBy = new TreeSet<>();
        private boolean more;
        private boolean stale;

        void add(List<T> partial, boolean partialMore, String by, boolean anyCopy) {
            items.addAll(partial);
            more |= partialMore;
            servedBy.add(by);
            stale |= anyCopy;
        }

        Gathered<T> result() {
            return new Gathered<>(items, more, servedBy, stale);
        }
    }
}
