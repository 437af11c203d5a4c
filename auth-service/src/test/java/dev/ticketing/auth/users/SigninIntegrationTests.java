package dev.ticketing.auth.users;

import static dev.ticketing.auth.users.AuthClient.PASSWORD;
import static dev.ticketing.auth.users.AuthClient.credentials;
import static dev.ticketing.auth.users.AuthClient.error;
import static dev.ticketing.auth.users.AuthClient.uniqueEmail;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ticketing.testsupport.service.ServiceTest;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.client.RestTestClient;

@ServiceTest
class SigninIntegrationTests {

    @Autowired
    RestTestClient client;

    AuthClient auth;

    @BeforeEach
    void setUp() {
        auth = new AuthClient(client);
    }

    @Test
    void failsWhenTheEmailIsUnknown() {
        auth.post("/api/users/signin", credentials(uniqueEmail(), PASSWORD))
                .expectStatus().isBadRequest()
                .expectHeader().doesNotExist("Set-Cookie")
                .expectBody().jsonPath("$.errors").isEqualTo(List.of(error("Invalid credentials")));
    }

    @Test
    void failsWhenTheWrongPasswordIsSupplied() {
        String email = uniqueEmail();
        auth.signedUp(email);

        auth.post("/api/users/signin", credentials(email, "wrong-password"))
                .expectStatus().isBadRequest()
                .expectHeader().doesNotExist("Set-Cookie")
                .expectBody().jsonPath("$.errors").isEqualTo(List.of(error("Invalid credentials")));
    }

    @Test
    void respondsWithTheUserAndACookieGivenValidCredentials() {
        String email = uniqueEmail();
        auth.signedUp(email);

        auth.post("/api/users/signin", credentials(email, PASSWORD))
                .expectStatus().isOk()
                .expectHeader().value("Set-Cookie", setCookie -> assertThat(setCookie)
                        .startsWith("session=").contains("; Path=/", "; HttpOnly", "; SameSite=Lax"))
                .expectBody()
                .jsonPath("$.email").isEqualTo(email)
                .jsonPath("$.id").value(String.class, id -> assertThat(id).matches("[0-9a-f]{24}"))
                .jsonPath("$.passwordHash").doesNotExist();
    }

    @Test
    void trimsThePasswordAsSignupDid() {
        String email = uniqueEmail();
        auth.signedUp(email);

        auth.post("/api/users/signin", credentials(email, "  " + PASSWORD + " ")).expectStatus().isOk();
    }
}
