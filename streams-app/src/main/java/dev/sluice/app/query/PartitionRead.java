package dev.sluice.app.query;

/**
 * Reads one partition of a gold store on this instance.
 *
 * @param <T> what is read
 */
@FunctionalInterface
public interface PartitionRead<T> {

    /**
     * @param partition the store partition
     * @param anyCopy   whether any copy may answer (a standby replica, a restoring task), not only the active one
     * @return what the partition holds; null for a key it does not hold
     */
    T read(int partition, boolean anyCopy);
}
