package dev.ticketing.testsupport.service;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.test.context.ActiveProfiles;

/**
 * The service's web layer alone, for what needs neither bus nor database: request validation, the order of errors,
 * security. Its controllers with web-support's error handling and session security (this module's
 * {@code AutoConfigureWebMvc.imports}), driven through MockMvc by the {@code RestTestClient}; what a controller calls
 * is a {@code @MockitoBean} of the test. {@link ServiceInstance#signIn()} mints sessions here too.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@WebMvcTest
@AutoConfigureRestTestClient
@ActiveProfiles("test")
@ExtendWith(ServiceExtension.class)
public @interface WebSliceTest {
}
