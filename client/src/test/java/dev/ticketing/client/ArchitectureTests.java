package dev.ticketing.client;

import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.ticketing.testsupport.ArchitectureRules;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** The architecture rules (test-support's {@link ArchitectureRules}): the client knows the services only by HTTP and events. */
class ArchitectureTests {

    @TestFactory
    Stream<DynamicTest> keepsTheRoomsApart() {
        JavaClasses classes = ArchitectureRules.productClasses();
        return ArchitectureRules.forService("client").stream()
                .map(rule -> dynamicTest(rule.getDescription(), () -> rule.check(classes)));
    }
}
