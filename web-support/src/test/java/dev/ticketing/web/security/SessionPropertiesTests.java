package dev.ticketing.web.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

class SessionPropertiesTests {

    @Test
    void keyMustBeAtLeast32BytesCountedInUtf8() {
        assertThatThrownBy(() -> new SessionProperties("x".repeat(31), Duration.ofDays(7), true))
                .isInstanceOf(InvalidJwtKeyException.class).hasMessageContaining("31 bytes");
        // 16 two-byte characters are 32 bytes: long enough, although only 16 characters.
        assertThat(new SessionProperties("é".repeat(16), Duration.ofDays(7), true).signingKey().getEncoded())
                .hasSize(32);
    }

    @Test
    void missingOrBlankKeyIsRefused() {
        assertThatThrownBy(() -> new SessionProperties(null, Duration.ofDays(7), true))
                .isInstanceOf(InvalidJwtKeyException.class).hasMessageContaining("JWT_KEY is not set");
        assertThatThrownBy(() -> new SessionProperties("   ", Duration.ofDays(7), true))
                .isInstanceOf(InvalidJwtKeyException.class).hasMessageContaining("JWT_KEY is not set");
    }

    @Test
    void neverPrintsTheKey() {
        assertThat(new SessionProperties(Tokens.KEY, Duration.ofDays(7), true).toString()).doesNotContain(Tokens.KEY);
    }

    @Test
    void defaultsAreSevenDaysAndSecureCookies() {
        StandardEnvironment environment = environmentWith(Map.of("JWT_KEY", Tokens.KEY));

        SessionProperties properties = Binder.get(environment).bindOrCreate("ticketing.security", SessionProperties.class);

        assertThat(properties.tokenLifetime()).isEqualTo(Duration.ofDays(7));
        assertThat(properties.cookieSecure()).isTrue();
        assertThat(properties.signingKey().getEncoded()).asString().isEqualTo(Tokens.KEY);
    }

    @Test
    void explicitPropertyWinsOverJwtKey() {
        StandardEnvironment environment = environmentWith(
                Map.of("JWT_KEY", Tokens.KEY, "ticketing.security.jwt-key", Tokens.OTHER_KEY));

        SessionProperties properties = Binder.get(environment).bindOrCreate("ticketing.security", SessionProperties.class);

        assertThat(properties.signingKey().getEncoded()).asString().isEqualTo(Tokens.OTHER_KEY);
    }

    private static StandardEnvironment environmentWith(Map<String, Object> properties) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", properties));
        new JwtKeyFromEnvironment().postProcessEnvironment(environment, new SpringApplication());
        return environment;
    }
}
