package io.fabricipam.controller;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * DESIGN.md §2 as code, over the classes of every module (the controller's classpath holds them all):
 * no cycles; Spring only in ipam-api and controller; Netty and openflowj only in ovs-integration and the
 * controller's wiring; the DHCP core depends on no other module.
 */
class ModuleRulesTest {

    static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.fabricipam");
    }

    @Test
    void modulesHaveNoCycles() {
        slices().matching("io.fabricipam.(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void onlyIpamApiAndControllerUseSpring() {
        noClasses().that().resideInAnyPackage("io.fabricipam.dhcp..", "io.fabricipam.ovs..", "io.fabricipam.fabric..")
                .should().dependOnClassesThat().resideInAPackage("org.springframework..")
                .allowEmptyShould(true).check(classes);
    }

    @Test
    void nettyAndOpenflowjStayInOvsIntegrationAndTheWiring() {
        noClasses().that().resideInAnyPackage("io.fabricipam.dhcp..", "io.fabricipam.api..", "io.fabricipam.fabric..")
                .should().dependOnClassesThat().resideInAnyPackage("io.netty..", "org.projectfloodlight..")
                .allowEmptyShould(true).check(classes);
    }

    @Test
    void theDhcpCoreDependsOnNoOtherModule() {
        noClasses().that().resideInAPackage("io.fabricipam.dhcp..")
                .should().dependOnClassesThat().resideInAnyPackage("io.fabricipam.api..", "io.fabricipam.ovs..",
                        "io.fabricipam.fabric..", "io.fabricipam.controller..")
                .allowEmptyShould(true).check(classes);
    }

    @Test
    void ovsIntegrationAndVmFabricDoNotReachIntoTheApplication() {
        noClasses().that().resideInAnyPackage("io.fabricipam.ovs..", "io.fabricipam.fabric..")
                .should().dependOnClassesThat().resideInAnyPackage("io.fabricipam.api..", "io.fabricipam.controller..")
                .allowEmptyShould(true).check(classes);
    }
}
