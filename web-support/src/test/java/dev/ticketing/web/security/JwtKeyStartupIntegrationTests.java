package dev.ticketing.web.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ticketing.web.testapp.WebTestApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/** A service must refuse to start without a usable JWT key, and say why without printing the key. */
@ExtendWith(OutputCaptureExtension.class)
class JwtKeyStartupIntegrationTests {

    @Test
    void refusesToStartWithoutJwtKey(CapturedOutput output) {
        assertThatThrownBy(() -> start("--ticketing.security.jwt-key="))
                .hasRootCauseInstanceOf(InvalidJwtKeyException.class)
                .rootCause().hasMessageContaining("JWT_KEY is not set");
        assertThat(output).contains("APPLICATION FAILED TO START", "JWT_KEY is not set", "at least 32 bytes");
    }

    @Test
    void refusesToStartWithAShortJwtKeyWithoutPrintingIt(CapturedOutput output) {
        assertThatThrownBy(() -> start("--ticketing.security.jwt-key=short-secret-value"))
                .hasRootCauseInstanceOf(InvalidJwtKeyException.class)
                .rootCause().hasMessageContaining("18 bytes");
        assertThat(output).contains("JWT_KEY is too short: 18 bytes, but HS256 needs at least 32 bytes")
                .doesNotContain("short-secret-value");
    }

    @Test
    void readsTheKeyFromTheJwtKeyVariable() {
        // JWT_KEY is looked up like any property, so a system property stands in for the environment variable here.
        String key = "a-key-from-the-environment-0123456789";
        System.setProperty("JWT_KEY", key);
        // No application.yml, so nothing but JWT_KEY can supply the key.
        try (ConfigurableApplicationContext context = start("--spring.config.name=no-such-config")) {
            assertThat(context.getBean(SessionProperties.class).signingKey().getEncoded()).asString().isEqualTo(key);
        } finally {
            System.clearProperty("JWT_KEY");
        }
    }

    /** Command-line arguments outrank the test application.yml, which holds a valid key. */
    private static ConfigurableApplicationContext start(String argument) {
        return new SpringApplicationBuilder(WebTestApplication.class)
                .properties("server.port=0", "spring.main.banner-mode=off")
                .run(argument);
    }
}
