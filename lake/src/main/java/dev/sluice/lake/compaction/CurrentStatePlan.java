package dev.sluice.lake.compaction;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.parquet.Version;

/**
 * Names what one hour's snapshot is built from. The hash covers the previous snapshot's files (whose names carry
 * its own hash, so a rebuilt predecessor changes every later hash), the hour's published changelog files (by key
 * and size, which never change under one name once final) and the settings that shape the output. It names the
 * output files, so that a re-run after a crash writes the same names, and a published snapshot whose hash differs
 * from today's plan is out of date.
 */
final class CurrentStatePlan {

    private static final Pattern HASH_IN_NAME = Pattern.compile("\\+compacted\\+([0-9a-f]{16})\\+");

    private CurrentStatePlan() {
    }

    static String hash(List<CurrentStateInput> previous, List<CurrentStateInput> changes, SnapshotSpec spec,
                       CompactionSettings settings) {
        StringBuilder text = new StringBuilder("sluice-current-state/1 ").append(Version.FULL_VERSION).append('\n');
        text.append("target=").append(settings.targetFileBytes())
                .append(" codec=").append(settings.codec().configName())
                .append(" rowGroup=").append(settings.rowGroupBytes())
                .append(" page=").append(settings.pageBytes()).append('\n');
        text.append("key=").append(String.join(",", spec.keyFields()))
                .append(" deleted=").append(spec.deletedField()).append('\n');
        text.append("previous\n");
        previous.forEach(input -> text.append(input.key()).append(' ').append(input.bytes()).append('\n'));
        text.append("changes\n");
        changes.forEach(input -> text.append(input.key()).append(' ').append(input.bytes()).append('\n'));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /**
     * The hash a published snapshot was built with, read from its files' names (a snapshot always has at least
     * one file, empty when no key is left); empty when it names none.
     */
    static Optional<String> hashOf(PartitionManifest manifest) {
        if (manifest.files().isEmpty()) {
            return Optional.empty();
        }
        return hashOfName(manifest.files().get(0).name());
    }

    /** The plan hash in the name of a file a snapshot wrote; empty when it is not such a name. */
    static Optional<String> hashOfName(String name) {
        Matcher m = HASH_IN_NAME.matcher(name);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }
}
