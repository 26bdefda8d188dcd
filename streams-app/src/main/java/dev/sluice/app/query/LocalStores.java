package dev.sluice.app.query;

import java.util.function.Function;

import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreType;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlySessionStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;

import dev.sluice.schemas.gold.CustomerTotals;
import dev.sluice.schemas.gold.ProductRevenueHourly;
import dev.sluice.schemas.gold.RegionRevenueDaily;
import dev.sluice.schemas.gold.UserSession;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

/**
 * Reads of this instance's copy of one partition of a gold store: the active copy only, or any copy ({@code stale}:
 * a standby replica, or an active task still restoring). A partition this instance cannot read right now (not
 * here, migrating, restoring, the streams not running) raises {@link PartitionUnavailableException}, also when the
 * store closes in the middle of a read.
 */
@Requires(property = "kafka.enabled", notEquals = "false")
@Singleton
public class LocalStores {

    private final StreamsInstance instance;

    public LocalStores(StreamsInstance instance) {
        this.instance = instance;
    }

    /** Thrown when a partition cannot be read here now. */
    public static class PartitionUnavailableException extends RuntimeException {
        PartitionUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    public <R> R customerTotals(int partition, boolean stale,
            Function<ReadOnlyKeyValueStore<Long, CustomerTotals>, R> read) {
        return read(GoldStore.CUSTOMER_TOTALS, QueryableStoreTypes.keyValueStore(), partition, stale, read);
    }

    public <R> R productRevenue(int partition, boolean stale,
            Function<ReadOnlyWindowStore<Long, ProductRevenueHourly>, R> read) {
        return read(GoldStore.PRODUCT_REVENUE_HOURLY, QueryableStoreTypes.windowStore(), partition, stale, read);
    }

    public <R> R regionRevenue(int partition, boolean stale,
            Function<ReadOnlyWindowStore<String, RegionRevenueDaily>, R> read) {
        return read(GoldStore.REGION_REVENUE_DAILY, QueryableStoreTypes.windowStore(), partition, stale, read);
    }

    public <R> R userSessions(int partition, boolean stale,
            Function<ReadOnlySessionStore<byte[], UserSession>, R> read) {
        return read(GoldStore.USER_SESSIONS, QueryableStoreTypes.sessionStore(), partition, stale, read);
    }

    private <T, R> R read(GoldStore store, QueryableStoreType<T> type, int partition, boolean stale,
            Function<T, R> read) {
        StoreQueryParameters<T> parameters = StoreQueryParameters.fromNameAndType(store.storeName(), type)
                .withPartition(partition);
        if (stale) {
            parameters = parameters.enableStaleStores();
        }
        try {
            return read.apply(instance.streams().store(parameters));
        } catch (InvalidStateStoreException | IllegalStateException e) {
            throw new PartitionUnavailableException("partition " + partition + " of " + store.storeName()
                    + (stale ? " (any copy)" : " (active)") + " cannot be read here: " + e.getMessage(), e);
        }
    }
}
