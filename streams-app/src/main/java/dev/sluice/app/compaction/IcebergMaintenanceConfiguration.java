package dev.sluice.app.compaction;

import java.time.Duration;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.convert.format.ReadableBytes;

/**
 * Settings {@code sluice.iceberg-maintenance.*} of the maintenance of the lake's Iceberg tables (lake format
 * {@code iceberg}, docs/lake/iceberg.md): when it runs, what it compacts and keeps, and the catalog the tables are
 * in. S3 access is compaction's ({@code sluice.compaction.s3.*}). The catalog password comes from the environment
 * ({@code SLUICE_ICEBERG_CATALOG_PASSWORD}) and appears in no log or answer.
 */
@ConfigurationProperties("sluice.iceberg-maintenance")
public class IcebergMaintenanceConfiguration {

    private boolean enabled;
    private String cron = "0 20 * * * *";
    private Duration closedDelay = Duration.ofMinutes(15);
    private int minInputFiles = 2;
    private long targetFileSize = 128L * 1024 * 1024;
    private Duration snapshotMaxAge = Duration.ofDays(5);
    private int minSnapshots = 1;
    private Duration orphanMinAge = Duration.ofDays(3);
    private String catalogName = "sluice";
    private String catalogUri;
    private String catalogUser = "sluice_iceberg";
    private String catalogPassword;
    private String warehouse = "s3://lake/iceberg";

    /** Whether maintenance runs at all; off unless configured. */
    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /** When passes start: a cron expression with seconds, in UTC; the leading instance runs them. */
    public String getCron() {
        return cron;
    }

    public void setCron(String cron) {
        this.cron = cron;
    }

    /** An hour partition is compacted this long after its hour ends; more than the sink's commit interval. */
    public Duration getClosedDelay() {
        return closedDelay;
    }

    public void setClosedDelay(Duration closedDelay) {
        this.closedDelay = closedDelay;
    }

    /** A closed hour is rewritten only when it has at least this many data files. */
    public int getMinInputFiles() {
        return minInputFiles;
    }

    public void setMinInputFiles(int minInputFiles) {
        this.minInputFiles = minInputFiles;
    }

    /** Compacted files are cut at this size, in bytes. */
    public long getTargetFileSize() {
        return targetFileSize;
    }

    public void setTargetFileSize(@ReadableBytes long targetFileSize) {
        this.targetFileSize = targetFileSize;
    }

    /** Snapshots older than this are expired: the reach of time travel. */
    public Duration getSnapshotMaxAge() {
        return snapshotMaxAge;
    }

    public void setSnapshotMaxAge(Duration snapshotMaxAge) {
        this.snapshotMaxAge = snapshotMaxAge;
    }

    /** The newest snapshots kept whatever their age. */
    public int getMinSnapshots() {
        return minSnapshots;
    }

    public void setMinSnapshots(int minSnapshots) {
        this.minSnapshots = minSnapshots;
    }

    /** Unreferenced files are deleted when older than this; more than the sink's commit interval. */
    public Duration getOrphanMinAge() {
        return orphanMinAge;
    }

    public void setOrphanMinAge(Duration orphanMinAge) {
        this.orphanMinAge = orphanMinAge;
    }

    /** The Iceberg catalog name the sinks use ({@code iceberg.catalog}). */
    public String getCatalogName() {
        return catalogName;
    }

    public void setCatalogName(String catalogName) {
        this.catalogName = catalogName;
    }

    /** The JDBC URL of the catalog database, e.g. {@code jdbc:postgresql://127.0.0.1:5432/iceberg_catalog}. */
    public String getCatalogUri() {
        return catalogUri;
    }

    public void setCatalogUri(String catalogUri) {
        this.catalogUri = catalogUri;
    }

    /** The catalog's database role. */
    public String getCatalogUser() {
        return catalogUser;
    }

    public void setCatalogUser(String catalogUser) {
        this.catalogUser = catalogUser;
    }

    /** The role's password; from the environment. */
    public String getCatalogPassword() {
        return catalogPassword;
    }

    public void setCatalogPassword(String catalogPassword) {
        this.catalogPassword = catalogPassword;
    }

    /** Where the catalog puts new tables, e.g. {@code s3://lake/iceberg}. */
    public String getWarehouse() {
        return warehouse;
    }

    public void setWarehouse(String warehouse) {
        this.warehouse = warehouse;
    }

    @Override
    public String toString() {
        return "IcebergMaintenanceConfiguration[enabled=" + enabled + ", cron=" + cron + ", catalogUri=" + catalogUri
                + ", catalogUser=" + catalogUser + ", warehouse=" + warehouse + "]";
    }
}
