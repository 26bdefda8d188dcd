package dev.sluice.lake;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * What the lake module may depend on (docs/architecture.md, "Rules and the tests that enforce them"). Checked on
 * the compiled main classes; a rule that breaks names the offending class and dependency.
 */
@AnalyzeClasses(packages = "dev.sluice.lake", importOptions = ImportOption.DoNotIncludeTests.class)
class LakeArchitectureTest {

    @ArchTest
    static final ArchRule LAKE_KNOWS_NO_CONNECT = noClasses()
            .that().resideInAPackage("dev.sluice.lake..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.sluice.connect..", "org.apache.kafka.connect..")
            .because("the lake format (Parquet files, object keys, commit marks, compaction, retention) is read "
                    + "and maintained by streams-app and the benchmarks without Kafka Connect; the S3 sink writes "
                    + "it, the lake does not know the sink");

    @ArchTest
    static final ArchRule LAKE_KNOWS_NO_STREAMS_APP_NOR_MICRONAUT = noClasses()
            .that().resideInAPackage("dev.sluice.lake..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.sluice.app..", "io.micronaut..")
            .because("the lake is in the S3 sink's plugin archive, inside a Kafka Connect worker, where neither "
                    + "streams-app nor Micronaut exists; streams-app runs compaction and retention on top of it");

    @ArchTest
    static final ArchRule NO_PACKAGE_CYCLES = slices().matching("dev.sluice.lake.(**)")
            .should().beFreeOfCycles()
            .because("a cycle makes two packages one in all but name: neither can be understood, tested or "
                    + "moved without the other");
}
