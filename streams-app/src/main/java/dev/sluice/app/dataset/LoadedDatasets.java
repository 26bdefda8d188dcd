package dev.sluice.app.dataset;

import java.util.List;

/**
 * The dataset specifications this instance runs with, as loaded at startup, and the directory's fingerprint then:
 * a later fingerprint that differs means the directory changed since the topology was built.
 */
public record LoadedDatasets(List<DatasetSpec> specs, String fingerprint) {

    public LoadedDatasets {
        specs = List.copyOf(specs);
    }
}
