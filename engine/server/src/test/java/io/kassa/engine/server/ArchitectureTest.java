package io.kassa.engine.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Data flows one way — terminal adapter to orchestration to domain to ports — and adapters do
 * not reach into each other; checked on the compiled classes with ArchUnit so a stray import
 * fails the build.
 */
class ArchitectureTest {

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.kassa");
    }

    @Test
    void theDomainCoreDependsOnNothingOfTheServer() {
        noClasses().that().resideInAPackage("io.kassa.engine.core..")
                .should().dependOnClassesThat().resideInAnyPackage("io.kassa.engine.server..",
                        "io.vertx..", "io.netty..", "io.kassa.protocol..", "java.sql..")
                .check(classes);
    }

    @Test
    void orchestrationDoesNotKnowItsAdapters() {
        noClasses().that().resideInAPackage("io.kassa.engine.server.checkout..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "io.kassa.engine.server.postgres..", "io.kassa.engine.server.redis..",
                        "io.kassa.engine.server.terminal..", "io.kassa.protocol..",
                        "io.vertx.sqlclient..", "io.vertx.pgclient..", "io.vertx.redis..")
                .check(classes);
    }

    @Test
    void adaptersDoNotReachIntoEachOther() {
        noClasses().that().resideInAPackage("io.kassa.engine.server.terminal..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "io.kassa.engine.server.postgres..", "io.kassa.engine.server.redis..")
                .check(classes);
        noClasses().that().resideInAPackage("io.kassa.engine.server.postgres..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "io.kassa.engine.server.terminal..", "io.kassa.protocol..")
                .check(classes);
    }
}
