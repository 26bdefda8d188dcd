package dev.sluice.app.alerts;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.sluice.app.compaction.CompactionRuns;
import dev.sluice.app.compaction.RunView;

/** {@code compaction-failing}: the last finished lake compaction run FAILED; resolves when a later one succeeds. */
class CompactionRule extends NamedRule {

    static final String NAME = "compaction-failing";

    private final CompactionRuns runs;
    private final ExportedReadings readings;

    CompactionRule(CompactionRuns runs, ExportedReadings readings) {
        super(NAME, Scope.INSTANCE);
        this.runs = runs;
        this.readings = readings;
    }

    @Override
    public List<Finding> check(Instant now) {
        RunView last = runs.enabled() ? runs.lastFinished().orElse(null) : null;
        boolean failed = last != null && last.status() == RunView.Status.FAILED;
        readings.publish("sluice.lake.compaction.last.run.failed", "1 when the last compaction run failed",
                failed ? 1 : 0);
        return failed ? List.of(new Finding(Map.of(), "compaction run " + last.id() + " failed: "
                + ConnectorRules.firstLine(String.valueOf(last.error())))) : List.of();
    }
}
