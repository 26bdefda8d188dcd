package dev.sluice.app.kafka;

import java.util.Map;

import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteBufferManager;

/**
 * Bounds RocksDB's off-heap memory for all state stores of the JVM together: one block cache and one write-buffer
 * budget shared by every store, instead of RocksDB's defaults per store, which with some twenty stores times their
 * partitions would outgrow a small container. The recipe of the Kafka Streams memory-management documentation.
 */
public class BoundedRocksDbConfig implements RocksDBConfigSetter {

    private static final long TOTAL_OFF_HEAP_BYTES = 128L * 1024 * 1024;
    private static final long TOTAL_MEMTABLE_BYTES = 64L * 1024 * 1024;
    private static final double INDEX_FILTER_BLOCK_RATIO = 0.1;
    private static final long MEMTABLE_BYTES = 4L * 1024 * 1024;
    // A full memtable waits for its flush while the next one fills; with two, writes stalled behind flushes that
    // queue up for every store at once (24% of the stream thread's wall time in bench/topology, docs/topology.md).
    private static final int MEMTABLES = 4;
    // Flushes run on RocksDB's shared HIGH-priority pool: max(1, jobs / 4) flush threads, the rest compactions.
    private static final int BACKGROUND_JOBS = 8;

    /** Created on first use: native RocksDB objects need the native library loaded first. */
    private static final class Shared {
        static {
            RocksDB.loadLibrary();
        }

        static final Cache CACHE = new LRUCache(TOTAL_OFF_HEAP_BYTES, -1, false, INDEX_FILTER_BLOCK_RATIO);
        static final WriteBufferManager WRITE_BUFFERS = new WriteBufferManager(TOTAL_MEMTABLE_BYTES, CACHE);
    }

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        table.setBlockCache(Shared.CACHE);
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        table.setPinTopLevelIndexAndFilter(true);
        options.setWriteBufferManager(Shared.WRITE_BUFFERS);
        options.setMaxWriteBufferNumber(MEMTABLES);
        options.setMaxBackgroundJobs(BACKGROUND_JOBS);
        options.setWriteBufferSize(MEMTABLE_BYTES);
        options.setTableFormatConfig(table);
    }

    @Override
    public void close(String storeName, Options options) {
        // The cache and write-buffer manager are shared by every store and live as long as the JVM.
    }
}
