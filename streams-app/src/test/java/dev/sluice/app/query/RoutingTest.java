package dev.sluice.app.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;

import dev.sluice.app.query.Routing.HostPartitions;
import dev.sluice.app.query.Routing.Target;

/** Where queries go, from Kafka Streams' metadata: active first, then standby replicas, never in a loop. */
class RoutingTest {

    private static final HostInfo A = new HostInfo("10.0.0.1", 8080);
    private static final HostInfo B = new HostInfo("10.0.0.2", 8080);
    private static final HostInfo C = new HostInfo("10.0.0.3", 8080);

    @Test
    void aKeyHeldHereIsReadHereFromTheActiveCopyThenFromAnyCopyThenFromStandbys() {
        assertEquals(List.of(Target.local(false), Target.local(true), Target.remote(B, true)),
                Routing.forKey(A, A, Set.of(B)));
    }

    @Test
    void aKeyHeldElsewhereGoesToItsInstanceThenToTheStandbysWithThisOneFirst() {
        assertEquals(List.of(Target.remote(B, false), Target.local(true), Target.remote(C, true)),
                Routing.forKey(A, B, Set.of(C, A)));
        assertEquals(List.of(Target.remote(B, false)), Routing.forKey(A, B, Set.of()),
                "without a standby the only place is the active instance");
    }

    @Test
    void whileNoInstanceIsKnownForTheKeyThisInstanceTriesItsOwnCopiesAndTheStandbys() {
        assertEquals(List.of(Target.local(false), Target.local(true)),
                Routing.forKey(A, HostInfo.unavailable(), Set.of()));
        assertEquals(List.of(Target.local(false), Target.local(true)), Routing.forKey(A, null, Set.of()));
    }

    @Test
    void withoutApplicationServerEverythingIsAnsweredHere() {
        assertEquals(List.of(Target.local(false), Target.local(true)), Routing.forKey(null, B, Set.of(C)));
        Routing.FanOutPlan plan = Routing.fanOut(3, null, List.of());
        assertEquals(Map.of(Target.local(false), set(0, 1, 2)), plan.primary());
        assertEquals(List.of(Target.local(true)), plan.fallbacks().get(2));
    }

    @Test
    void aFanOutAsksEachInstanceForTheActivePartitionsItHolds() {
        Routing.FanOutPlan plan = Routing.fanOut(4, A, List.of(
                new HostPartitions(B, Set.of(1, 3), Set.of(0)),
                new HostPartitions(A, Set.of(0, 2), Set.of(1, 3))));
        assertEquals(Map.of(Target.local(false), set(0, 2), Target.remote(B, false), set(1, 3)), plan.primary());
        assertEquals(List.of(Target.local(true), Target.remote(B, true)), plan.fallbacks().get(0),
                "a partition held here is read from any copy here before the standby elsewhere");
        assertEquals(List.of(Target.local(true)), plan.fallbacks().get(1), "this instance is its standby");
    }

    @Test
    void aPartitionNoInstanceServesIsAskedOfItsStandbysOnly() {
        Routing.FanOutPlan plan = Routing.fanOut(3, A, List.of(
                new HostPartitions(A, Set.of(0), Set.of()),
                new HostPartitions(B, Set.of(1), Set.of(2)),
                new HostPartitions(C, Set.of(), Set.of(2))));
        assertEquals(Map.of(Target.local(false), set(0), Target.remote(B, false), set(1)), plan.primary());
        assertEquals(List.of(Target.remote(B, true), Target.remote(C, true)), plan.fallbacks().get(2));
        assertTrue(plan.fallbacks().get(1).isEmpty(), "no standby of partition 1: 503 if B fails");
    }

    @Test
    void aPartitionClaimedByTwoInstancesIsAskedOfOneOnly() {
        Routing.FanOutPlan plan = Routing.fanOut(1, A, List.of(
                new HostPartitions(C, Set.of(0), Set.of()),
                new HostPartitions(B, Set.of(0), Set.of())));
        assertEquals(Map.of(Target.remote(B, false), set(0)), plan.primary(), "the first by host, every time");
    }

    private static SortedSet<Integer> set(Integer... partitions) {
        return new TreeSet<>(List.of(partitions));
    }
}
