package dev.ticketing.testsupport.service;

import dev.ticketing.testsupport.TestServersConfiguration;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ActiveProfiles;

/**
 * The service of the test's package on a random port, against the shared test NATS and MongoDB, driven over HTTP;
 * test classes with this one setup share one application context. Test and lifecycle methods may ask, by type, for
 * {@link ServiceInstance} (this running service), {@link Instances} (more of it), a {@code NatsServer} of their own
 * and an {@link Observing} event observer; what is opened for a method or a class is closed when it ends.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureRestTestClient
@Import(TestServersConfiguration.class)
@ActiveProfiles("test")
@ExtendWith(ServiceExtension.class)
public @interface ServiceTest {
}
