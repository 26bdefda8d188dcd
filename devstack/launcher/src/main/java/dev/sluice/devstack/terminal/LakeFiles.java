package dev.sluice.devstack.terminal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Counts the lake files the S3 sink wrote, by layer, from the S3 server's own directory (the devstack's s3proxy
 * keeps each object as a file named by its key): a file the sink writes is named
 * {@code <topic>+<partition>+<start offset>.<codec>.parquet} under {@code <layer>/}, a name it writes once.
 * Compaction outputs ({@code +compacted+}) and manifests are not the sink's and are not counted. Each call
 * counts the names that were not there at the previous call; a file written and compacted away between two calls
 * is missed (compaction's grace period is far longer than a status interval).
 */
public final class LakeFiles implements LakeWrites {

    private static final Pattern SINK_FILE = Pattern.compile("[^+/]+\\+\\d+\\+\\d+\\.[^/]*parquet");

    private final Path bucket;
    private Set<Path> known;

    /** @param bucket the lake bucket's directory; files already there count as written before */
    public LakeFiles(Path bucket) {
        this.bucket = bucket;
        this.known = scan();
    }

    /** The sink files written since the previous call, per layer (first directory under the bucket). */
    @Override
    public synchronized Map<String, Integer> writtenSinceLastCall() {
        Set<Path> now = scan();
        Map<String, Integer> byLayer = new TreeMap<>();
        for (Path file : now) {
            if (!known.contains(file)) {
                byLayer.merge(file.getNameCount() > 1 ? file.getName(0).toString() : "", 1, Integer::sum);
            }
        }
        known = now;
        return byLayer;
    }

    private Set<Path> scan() {
        // A file the sink or compaction removes while the walk passes by fails the walk: walk again.
        for (int attempt = 1; ; attempt++) {
            Set<Path> files = new HashSet<>();
            try (Stream<Path> walk = Files.walk(bucket)) {
                walk.filter(path -> SINK_FILE.matcher(path.getFileName().toString()).matches())
                        .map(bucket::relativize)
                        .forEach(files::add);
                return files;
            } catch (NoSuchFileException e) {
                // No bucket (yet): no files.
                return files;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list the lake in " + bucket, e);
            } catch (UncheckedIOException e) {
                if (!(e.getCause() instanceof NoSuchFileException) || attempt == 3) {
                    throw e;
                }
            }
        }
    }
}
