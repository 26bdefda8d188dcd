package dev.sluice.lake.iceberg;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.iceberg.ContentFile;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.ManifestContent;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.ManifestFiles;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.PartitionStatisticsFile;
import org.apache.iceberg.ReachableFileUtil;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.FileInfo;
import org.apache.iceberg.io.SupportsPrefixOperations;

/**
 * Deletes the files under a table's location that no snapshot, manifest or metadata file references and that are
 * older than {@link IcebergMaintenanceSettings#orphanMinAge()}: data files a sink task wrote but never got committed
 * (a crash between writing and announcing them), outputs of a compaction that lost its commit, and metadata files
 * that fell out of the table's history. Iceberg's own action for this ({@code DeleteOrphanFiles}) needs Spark; this
 * is the same listing-minus-reachable comparison on {@link FileIO}. The age limit is what protects files that are
 * written but not yet committed, exactly as in Iceberg's action.
 */
public final class OrphanFiles {

    private final IcebergMaintenanceSettings settings;
    private final Clock clock;

    public OrphanFiles(IcebergMaintenanceSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    /** Deletes the table's orphan files; returns how many. */
    public int remove(Table table) {
        table.refresh();
        if (!(table.io() instanceof SupportsPrefixOperations io)) {
            throw new IllegalStateException("cannot list the files of " + table.name() + ": its FileIO "
                    + table.io().getClass().getName() + " does not support prefix listing");
        }
        Set<String> reachable = reachable(table);
        long olderThan = clock.millis() - settings.orphanMinAge().toMillis();
        List<String> orphans = new ArrayList<>();
        // The trailing slash keeps a table from listing the files of another whose name starts with its own.
        String location = table.location().endsWith("/") ? table.location() : table.location() + "/";
        for (FileInfo file : io.listPrefix(location)) {
            if (file.createdAtMillis() < olderThan && !reachable.contains(file.location())) {
                orphans.add(file.location());
            }
        }
        orphans.forEach(io::deleteFile);
        return orphans.size();
    }

    /** Every file the table's metadata references, in any snapshot still in its history. */
    static Set<String> reachable(Table table) {
        FileIO io = table.io();
        Set<String> files = new HashSet<>(ReachableFileUtil.metadataFileLocations(table, true));
        if (table instanceof HasTableOperations withOperations) {
            files.add(withOperations.operations().current().metadataFileLocation());
        }
        files.add(ReachableFileUtil.versionHintLocation(table));
        files.addAll(ReachableFileUtil.manifestListLocations(table));
        files.addAll(ReachableFileUtil.statisticsFilesLocations(table));
        table.partitionStatisticsFiles().stream().map(PartitionStatisticsFile::path).forEach(files::add);
        Map<Integer, PartitionSpec> specs = table.specs();
        Set<String> manifestsRead = new HashSet<>();
        for (Snapshot snapshot : table.snapshots()) {
            for (ManifestFile manifest : snapshot.allManifests(io)) {
                if (manifestsRead.add(manifest.path())) {
                    files.add(manifest.path());
                    addContent(manifest, io, specs, files);
                }
            }
        }
        return files;
    }

    private static void addContent(ManifestFile manifest, FileIO io, Map<Integer, PartitionSpec> specs,
            Set<String> files) {
        try (CloseableIterable<? extends ContentFile<?>> entries = manifest.content() == ManifestContent.DATA
                ? ManifestFiles.read(manifest, io, specs) : ManifestFiles.readDeleteManifest(manifest, io, specs)) {
            for (ContentFile<?> entry : entries) {
                files.add(entry.location());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read manifest " + manifest.path(), e);
        }
    }
}
