package dev.sluice.lake.iceberg;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * What the Iceberg maintenance module may depend on (docs/architecture.md, "Rules and the tests that enforce them").
 */
@AnalyzeClasses(packages = "dev.sluice.lake.iceberg", importOptions = ImportOption.DoNotIncludeTests.class)
class LakeIcebergArchitectureTest {

    @ArchTest
    static final ArchRule ICEBERG_MAINTENANCE_KNOWS_NO_KAFKA_NOR_THE_APP = noClasses()
            .that().resideInAPackage("dev.sluice.lake.iceberg..")
            .should().dependOnClassesThat().resideInAnyPackage("org.apache.kafka..", "dev.sluice.connect..",
                    "dev.sluice.app..", "io.micronaut..")
            .because("table maintenance works on the catalog and the files only: Iceberg's own sink writes the "
                    + "tables, streams-app schedules the maintenance, and neither is needed to run or test it");
}
