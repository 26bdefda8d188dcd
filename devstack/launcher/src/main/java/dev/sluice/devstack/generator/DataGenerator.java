package dev.sluice.devstack.generator;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the demo domain moving: inserts, updates and deletes rows of the shop database (captured by CDC) and
 * produces user events to Kafka, each at its own rate, with a configurable share of deliberately bad records.
 * Work is paced in ticks of {@value #TICK_MS} ms; a rate below one per tick carries its fraction over.
 */
public final class DataGenerator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DataGenerator.class);
    static final long TICK_MS = 100;

    private final ScheduledExecutorService scheduler;
    private final ShopActivity shop;
    private final UserEventStream events;

    private DataGenerator(ScheduledExecutorService scheduler, ShopActivity shop, UserEventStream events) {
        this.scheduler = scheduler;
        this.shop = shop;
        this.events = events;
    }

    /**
     * Starts generating.
     *
     * @param shop connections to the shop database
     * @param shopOpsPerSecond row changes per second in the shop database
     * @param eventsPerSecond user events per second
     * @param badRatio share (0..1) of records that are deliberately bad
     */
    public static DataGenerator start(ShopDatabase shop, String bootstrapServers, String registryUrl,
            String userEventsTopic, double shopOpsPerSecond, double eventsPerSecond, double badRatio) {
        ShopActivity activity = new ShopActivity(shop, badRatio, System.nanoTime());
        UserEventStream events = new UserEventStream(bootstrapServers, registryUrl, userEventsTopic, badRatio,
                System.nanoTime());
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "data-generator");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleAtFixedRate(new Paced(shopOpsPerSecond, activity::step, "shop"), 0, TICK_MS,
                TimeUnit.MILLISECONDS);
        scheduler.scheduleAtFixedRate(new Paced(eventsPerSecond, events::step, "user_events"), 0, TICK_MS,
                TimeUnit.MILLISECONDS);
        LOG.info("data generator started shopOpsPerSecond={} eventsPerSecond={} badRatio={}", shopOpsPerSecond,
                eventsPerSecond, badRatio);
        return new DataGenerator(scheduler, activity, events);
    }

    /** Records produced so far, good and bad, for the status line and tests. */
    public long eventsSent() {
        return events.sent();
    }

    /** Row changes made so far in the shop database. */
    public long shopChanges() {
        return shop.changes();
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        events.close();
        shop.close();
        LOG.info("data generator stopped shopChanges={} eventsSent={}", shop.changes(), events.sent());
    }

    /** Runs {@code step} the right number of times per tick for {@code perSecond}; one failure never stops it. */
    private static final class Paced implements Runnable {
        private final double perTick;
        private final Runnable step;
        private final String name;
        private double carry;
        private long failures;

        Paced(double perSecond, Runnable step, String name) {
            this.perTick = perSecond * TICK_MS / 1000.0;
            this.step = step;
            this.name = name;
        }

        @Override
        public void run() {
            carry += perTick;
            while (carry >= 1) {
                carry -= 1;
                try {
                    step.run();
                } catch (RuntimeException e) {
                    // The generator outlives a broker or database restart; say so once in a while, not per record.
                    if (failures++ % 100 == 0) {
                        LOG.warn("generator step failed stream={} failures={} error={}", name, failures, e.toString());
                    }
                    return;
                }
            }
        }
    }
}
