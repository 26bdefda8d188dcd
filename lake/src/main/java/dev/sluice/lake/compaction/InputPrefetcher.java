package dev.sluice.lake.compaction;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import org.apache.parquet.io.InputFile;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Downloads the next few small inputs while the merge reads the current one, so that S3 round trips overlap with
 * decoding. Inputs are opened in Kafka order of their first keys (as {@link RowMerger} opens them); when one is
 * opened, the next {@code window} small ones start downloading. Memory: at most {@code window} inputs of up to
 * {@link S3InputFile#DATA_FETCH} bytes ahead.
 */
final class InputPrefetcher {

    private final S3Client s3;
    private final String bucket;
    private final ExecutorService pool;
    private final int window;
    private final List<String> keys;
    private final List<Long> sizes;
    /** Positions of the inputs in opening order. */
    private final List<Integer> openingOrder;
    private final int[] rank;
    private final Map<Integer, CompletableFuture<byte[]>> fetched = new HashMap<>();

    InputPrefetcher(S3Client s3, String bucket, ExecutorService pool, int window, List<String> keys,
                    List<Long> sizes, List<MergeKey> firstKeys) {
        this.s3 = s3;
        this.bucket = bucket;
        this.pool = pool;
        this.window = window;
        this.keys = List.copyOf(keys);
        this.sizes = List.copyOf(sizes);
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparing((Integer i) -> firstKeys.get(i)).thenComparingInt(i -> i));
        this.openingOrder = List.copyOf(order);
        this.rank = new int[keys.size()];
        for (int r = 0; r < order.size(); r++) {
            rank[order.get(r)] = r;
        }
    }

    /** The file of input {@code index}, which is being opened now; starts downloading the next ones. */
    synchronized InputFile open(int index) throws IOException {
        for (int r = rank[index] + 1; r <= Math.min(rank[index] + window, openingOrder.size() - 1); r++) {
            int next = openingOrder.get(r);
            if (small(next) && !fetched.containsKey(next)) {
                String key = keys.get(next);
                fetched.put(next, CompletableFuture.supplyAsync(() -> download(key), pool));
            }
        }
        CompletableFuture<byte[]> ready = fetched.remove(index);
        if (ready == null) {
            return new S3InputFile(s3, bucket, keys.get(index), sizes.get(index), S3InputFile.DATA_FETCH);
        }
        try {
            return S3InputFile.of("s3://" + bucket + "/" + keys.get(index), ready.join());
        } catch (CompletionException e) {
            throw new IOException("Downloading s3://" + bucket + "/" + keys.get(index) + " failed", e.getCause());
        }
    }

    private boolean small(int index) {
        return sizes.get(index) <= S3InputFile.DATA_FETCH;
    }

    private byte[] download(String key) {
        return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
    }
}
