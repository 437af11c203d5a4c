package dev.ticketing.auth.users;

import static dev.ticketing.auth.users.AuthClient.PASSWORD;
import static dev.ticketing.auth.users.AuthClient.credentials;
import static dev.ticketing.auth.users.AuthClient.error;
import static dev.ticketing.auth.users.AuthClient.uniqueEmail;
import static org.mockito.Mockito.verifyNoInteractions;

import dev.ticketing.testsupport.service.WebSliceTest;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.client.RestTestClient;

/** What the user routes refuse before any account is looked up: invalid bodies, other media types, unknown routes. */
@WebSliceTest
@Import(UserRoutes.class)
class UserRoutesWebTests {

    @Autowired
    RestTestClient client;
    @MockitoBean
    Accounts accounts;

    AuthClient auth;

    @BeforeEach
    void setUp() {
        auth = new AuthClient(client);
    }

    @AfterEach
    void noAccountWasTouched() {
        verifyNoInteractions(accounts);
    }

    @Test
    void returns400WithAnInvalidEmail() {
        for (String email : new String[] {"alskdflaskjfd", "a@b", "two@at@signs.com", "spaces in@test.com"}) {
            auth.post("/api/users/signup", credentials(email, PASSWORD))
                    .expectStatus().isBadRequest()
                    .expectBody().jsonPath("$.errors").isEqualTo(List.of(error("Email must be valid", "email")));
        }
    }

    @Test
    void returns400WithATooShortPassword() {
        auth.post("/api/users/signup", credentials(uniqueEmail(), "p"))
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors")
                .isEqualTo(List.of(error("Password must be between 4 and 20 characters", "password")));
    }

    @Test
    void returns400WithMissingEmailAndPassword() {
        auth.post("/api/users/signup", "{\"email\":\"" + uniqueEmail() + "\"}")
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("password");
        auth.post("/api/users/signup", "{\"password\":\"" + PASSWORD + "\"}")
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("email");
        auth.post("/api/users/signup", credentials("  ", "  "))
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors.length()").isEqualTo(2);
        auth.post("/api/users/signup", "{}")
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors").isEqualTo(List.of(error("Email must be valid", "email"),
                        error("Password must be between 4 and 20 characters", "password")));
    }

    @Test
    void requiresAPassword() {
        for (String body : new String[] {"{\"email\":\"" + uniqueEmail() + "\"}",
            credentials(uniqueEmail(), ""), credentials(uniqueEmail(), "   ")}) {
            auth.post("/api/users/signin", body)
                    .expectStatus().isBadRequest()
                    .expectBody().jsonPath("$.errors")
                    .isEqualTo(List.of(error("You must supply a password", "password")));
        }
    }

    @Test
    void requiresAValidEmail() {
        auth.post("/api/users/signin", credentials("not-an-email", PASSWORD))
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors").isEqualTo(List.of(error("Email must be valid", "email")));
    }

    @Test
    void malformedJsonIsA400() {
        auth.post("/api/users/signup", "{\"email\": \"a@b.com\", ")
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors").isEqualTo(List.of(error("Request body is not valid JSON")));
    }

    @Test
    void formPostIsRefused() {
        client.post().uri("/api/users/signin").header("Content-Type", "application/x-www-form-urlencoded")
                .body("email=a%40b.com&password=password").exchange()
                .expectStatus().isEqualTo(HttpStatus.UNSUPPORTED_MEDIA_TYPE);
    }

    @Test
    void unknownRouteIs404() {
        client.get().uri("/api/users/nobody").exchange()
                .expectStatus().isNotFound()
                .expectBody().jsonPath("$.errors[0].message").isEqualTo("Not Found");
        client.get().uri("/api/elsewhere").exchange().expectStatus().isNotFound();
    }

    @Test
    void wrongMethodIs405() {
        client.get().uri("/api/users/signup").exchange().expectStatus().isEqualTo(HttpStatus.METHOD_NOT_ALLOWED);
    }
}
