package dev.sluice.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

class PortsTest {

    /** Components choose their ports in parallel, each binding a moment later: no two may get the same one. */
    @Test
    void portsChosenAtOnceByManyThreadsAreAllDifferent() throws Exception {
        int threads = 8;
        int perThread = 100;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<Integer>>> chosen = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                chosen.add(pool.submit(() -> {
                    List<Integer> ports = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        ports.add(Ports.freePort());
                    }
                    return ports;
                }));
            }
            Set<Integer> distinct = new HashSet<>();
            for (Future<List<Integer>> ports : chosen) {
                distinct.addAll(ports.get());
            }
            assertEquals(threads * perThread, distinct.size(), "every port handed out once");
        } finally {
            pool.shutdownNow();
        }
    }
}
