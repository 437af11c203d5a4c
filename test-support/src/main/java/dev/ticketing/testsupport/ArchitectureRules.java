package dev.ticketing.testsupport;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.util.List;

/**
 * The rules that keep the rooms apart, checked by each service's {@code ArchitectureTests} against the product classes
 * on its class path: its own, web-support's and common-events'. Plain {@link ArchRule#check} in a Jupiter test, so no
 * ArchUnit test engine is needed.
 */
public final class ArchitectureRules {

    private static final List<String> SERVICES = List.of("auth", "tickets", "orders", "payments", "client");

    /**
     * A domain class is an aggregate, recognised by Spring Data's {@code @Document}, or an exception a service declares
     * (the facts its aggregates raise). Recognised by what they are rather than by a subpackage, so a service stays one
     * package whose types are package-private.
     */
    private static final DescribedPredicate<JavaClass> DOMAIN = DescribedPredicate.describe(
            "domain classes (@Document aggregates and the exceptions they raise)",
            type -> type.isAnnotatedWith("org.springframework.data.mongodb.core.mapping.Document")
                    || type.isAssignableTo(RuntimeException.class));

    private ArchitectureRules() {
    }

    /** The main classes of every {@code dev.ticketing} module on the class path (test classes left out). */
    public static JavaClasses productClasses() {
        return new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.ticketing");
    }

    /** The rules for the service whose package is {@code dev.ticketing.<service>}. */
    public static List<ArchRule> forService(String service) {
        String own = "dev.ticketing." + service + "..";
        String[] others = SERVICES.stream().filter(name -> !name.equals(service))
                .map(name -> "dev.ticketing." + name + "..").toArray(String[]::new);
        return List.of(
                noClasses().that().resideInAPackage(own)
                        .should().dependOnClassesThat().resideInAnyPackage(others)
                        .as("services never depend on each other")
                        .because("they share only events and HTTP"),
                noClasses().that().resideOutsideOfPackages("dev.ticketing.events..", "dev.ticketing.testsupport..")
                        .should().dependOnClassesThat().resideInAPackage("io.nats..")
                        .as("only common-events (and the test servers) touch io.nats")
                        .because("services publish through the outbox and consume through EventHandler"),
                noClasses().that().resideInAPackage(own).and(DOMAIN)
                        .should().dependOnClassesThat().resideInAnyPackage(
                                "dev.ticketing.web..", "dev.ticketing.events.bus..",
                                "org.springframework.web..", "org.springframework.http..", "jakarta.servlet..")
                        .as("domain classes know neither the web nor the bus's consumer types")
                        .because("HTTP statuses are mapped in web-support, redeliveries at the handler's edge"),
                noClasses().that().resideInAPackage(own).and().haveSimpleNameEndingWith("Controller")
                        .should().dependOnClassesThat().areAssignableTo(
                                "org.springframework.data.mongodb.core.MongoOperations")
                        .orShould().dependOnClassesThat().resideInAPackage("com.mongodb..")
                        .as("controllers never touch MongoTemplate")
                        .because("they load and save through the aggregate's repository"));
    }
}
