package dev.ostiary.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * Ostiary's compiled main classes, imported once per test run for the architecture tests that read
 * them with their library types resolved (importing takes seconds; the fast run should pay it once).
 */
final class MainClasses {

    private MainClasses() {
    }

    static JavaClasses resolved() {
        return Holder.MAIN;
    }

    private static final class Holder {
        static final JavaClasses MAIN = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.ostiary");
    }
}
