package dev.ostiary.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.ArchConfiguration;
import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The package structure, checked on the compiled main classes (so fully qualified names in code
 * count as much as imports): the feature packages form no cycle, so each can be read, tested and
 * changed from its dependencies up; and the sample resource server stands for a third-party API, so
 * it may reach Ostiary only over HTTP.
 */
@Tag("unit")
class PackageDependenciesTest {

    private static JavaClasses main;

    /**
     * Only Ostiary's own classes: both rules are about dependencies among them, so the libraries they
     * reference need not be read from the classpath (that took most of this test's time).
     */
    @BeforeAll
    static void importMainClasses() {
        ArchConfiguration configuration = ArchConfiguration.get();
        boolean resolving = configuration.resolveMissingDependenciesFromClassPath();
        configuration.setResolveMissingDependenciesFromClassPath(false);
        try {
            main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                    .importPackages("dev.ostiary");
        } finally {
            configuration.setResolveMissingDependenciesFromClassPath(resolving);
        }
    }

    @Test
    void whenPackagesDependOnEachOtherThenNeverInACycle() {
        slices().matching("dev.ostiary.(**)").should().beFreeOfCycles().check(main);
    }

    @Test
    void whenTheSampleResourceServerIsBuiltThenItUsesNothingOfTheServer() {
        noClasses().that().resideInAPackage("dev.ostiary.sample..")
                .should().dependOnClassesThat(resideInAPackage("dev.ostiary..")
                        .and(not(resideInAPackage("dev.ostiary.sample.."))))
                .because("the sample resource server stands for a third-party API: it knows Ostiary only over HTTP")
                .check(main);
    }
}
