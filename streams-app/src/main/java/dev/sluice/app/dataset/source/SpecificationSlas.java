package dev.sluice.app.dataset.source;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

import dev.sluice.app.dataset.DatasetDirectory;
import dev.sluice.app.freshness.DatasetSlas;
import jakarta.inject.Singleton;

/** The {@code freshness.sla} of the specifications in the datasets directory. */
@Singleton
public class SpecificationSlas implements DatasetSlas {

    private final DatasetDirectory datasets;

    public SpecificationSlas(DatasetDirectory datasets) {
        this.datasets = datasets;
    }

    @Override
    public Map<String, Duration> slas() {
        Map<String, Duration> slas = new TreeMap<>();
        datasets.load().forEach((name, spec) -> spec.freshnessSla().ifPresent(sla -> slas.put(name, sla)));
        return slas;
    }
}
