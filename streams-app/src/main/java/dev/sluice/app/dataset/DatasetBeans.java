package dev.sluice.app.dataset;

import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

/** The parser and the directory of the dataset specifications, as configured by {@link DatasetSettings}. */
@Factory
class DatasetBeans {

    @Singleton
    DatasetSpecParser datasetSpecParser(DatasetSettings settings) {
        return new DatasetSpecParser(settings.getCdcConnector());
    }

    @Singleton
    DatasetDirectory datasetDirectory(DatasetSettings settings, DatasetSpecParser parser) {
        return new DatasetDirectory(settings.getDir(), parser);
    }
}
