package dev.ticketing.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ticketing.testsupport.TestServers;
import dev.ticketing.web.security.InvalidJwtKeyException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

@ExtendWith(OutputCaptureExtension.class)
class StartupIntegrationTests {

    @Test
    void startupFailsClearlyWithoutJwtKey(CapturedOutput output) {
        // An explicit empty key, so a JWT_KEY in the developer's own environment cannot make this pass or fail.
        assertThatThrownBy(() -> new SpringApplicationBuilder(AuthApplication.class)
                .properties("spring.main.banner-mode=off")
                .run("--server.port=0", "--spring.mongodb.uri=" + TestServers.mongoUri("auth-startup"),
                        "--ticketing.security.jwt-key="))
                .hasRootCauseInstanceOf(InvalidJwtKeyException.class);

        assertThat(output).contains("APPLICATION FAILED TO START", "JWT_KEY is not set",
                "Set JWT_KEY to the same random secret of at least 32 bytes");
    }
}
