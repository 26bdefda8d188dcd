package dev.sluice.app.dataset;

import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sluice.app.validate.InvalidRulesException;
import dev.sluice.app.validate.ValidationRules;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

/** The parser, the directory and the loaded dataset specifications, as configured by {@link DatasetSettings}. */
@Factory
class DatasetBeans {

    private static final Logger LOG = LoggerFactory.getLogger(DatasetBeans.class);

    @Singleton
    DatasetSpecParser datasetSpecParser(DatasetSettings settings) {
        return new DatasetSpecParser(settings.getCdcConnector());
    }

    @Singleton
    DatasetDirectory datasetDirectory(DatasetSettings settings, DatasetSpecParser parser) {
        return new DatasetDirectory(settings.getDir(), parser);
    }

    /**
     * The specifications of the directory at startup; a wrong file fails startup naming it and its field, as do
     * rules in {@code sluice.validation} for a dataset (they would be ignored: a dataset's rules are in its file).
     */
    @Singleton
    LoadedDatasets loadedDatasets(DatasetDirectory directory, ValidationRules rules) {
        Map<String, DatasetSpec> specs = directory.load();
        for (String name : specs.keySet()) {
            if (rules.find(name).isPresent()) {
                throw new InvalidRulesException(name, "dataset " + name + " has its validation rules in its "
                        + "specification (" + directory.path().resolve(name + ".yaml") + "), not here");
            }
        }
        String fingerprint = directory.fingerprint();
        LOG.info("datasets dir={} names={} fingerprint={}", directory.path(), specs.keySet(), fingerprint);
        return new LoadedDatasets(List.copyOf(specs.values()), fingerprint);
    }
}
