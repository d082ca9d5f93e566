package dev.ostiary.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The grant registry keeps dependencies pointing one way: every feature asks {@code dev.ostiary.grant}
 * (the registry API), which asks no feature back; the grants' own packages are reached only through
 * their registrations, never from the wiring in {@code config/}.
 */
@Tag("unit")
class GrantRegistryArchitectureTest {

    private static final JavaClasses MAIN = MainClasses.resolved();

    private static final DescribedPredicate<JavaClass> OTHER_OSTIARY_PACKAGES = DescribedPredicate.describe(
            "another dev.ostiary package", type -> type.getPackageName().startsWith("dev.ostiary.")
                    && !type.getPackageName().equals("dev.ostiary.grant"));

    private static final DescribedPredicate<JavaClass> A_GRANTS_OWN_PACKAGE = DescribedPredicate.describe(
            "a grant's own package (dev.ostiary.grant.*)",
            type -> type.getPackageName().startsWith("dev.ostiary.grant."));

    @Test
    void whenTheRegistryApiIsReadThenItDependsOnNoFeature() {
        noClasses().that().resideInAPackage("dev.ostiary.grant")
                .should().dependOnClassesThat(OTHER_OSTIARY_PACKAGES)
                .because("features depend on the registry, not the other way (no package cycle through it)")
                .check(MAIN);
    }

    @Test
    void whenConfigWiresTheGrantsThenOnlyThroughTheRegistry() {
        noClasses().that().resideInAPackage("dev.ostiary.config")
                .should().dependOnClassesThat(A_GRANTS_OWN_PACKAGE)
                .because("adding a grant is one package and one registration: config/ must not name grants")
                .check(MAIN);
    }
}
