package dev.sluice;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * Which package of the connectors module (and of sluice-connect-admin, which shares dev.sluice.connect) may depend
 * on which (docs/architecture.md, "Rules and the tests that enforce them"); the lake's rules are in the lake module
 * (LakeArchitectureTest). Checked on the compiled main classes; a rule that breaks names the offending class and
 * dependency.
 */
@AnalyzeClasses(packages = "dev.sluice.connect", importOptions = ImportOption.DoNotIncludeTests.class)
class ConnectorsArchitectureTest {

    @ArchTest
    static final ArchRule PLUGINS_KNOW_NO_STREAMS_APP_NOR_MICRONAUT = noClasses()
            .that().resideInAPackage("dev.sluice.connect..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.sluice.app..", "io.micronaut..")
            .because("the connectors run inside a Kafka Connect worker, where neither streams-app nor Micronaut "
                    + "exists; streams-app uses their templates and REST client (sluice-connect-admin), never the "
                    + "other way round");

    @ArchTest
    static final ArchRule PLUGINS_KNOW_NO_ICEBERG = noClasses()
            .that().resideInAPackage("dev.sluice.connect..")
            .should().dependOnClassesThat().resideInAnyPackage("org.apache.iceberg..", "dev.sluice.lake.iceberg..")
            .because("Iceberg tables are written by Iceberg's own sink and maintained by streams-app "
                    + "(sluice-lake-iceberg); the plugin archive carries no Iceberg");

    @ArchTest
    static final ArchRule NO_PACKAGE_CYCLES = slices().matching("dev.sluice.(**)")
            .should().beFreeOfCycles()
            .because("a cycle makes two packages one in all but name: neither can be understood, tested or "
                    + "moved without the other");
}
