package dev.ticketing.auth.users;

import static dev.ticketing.auth.users.AuthClient.PASSWORD;
import static dev.ticketing.auth.users.AuthClient.credentials;
import static dev.ticketing.auth.users.AuthClient.uniqueEmail;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ticketing.testsupport.service.ServiceTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

@ServiceTest
class SignupIntegrationTests {

    @Autowired
    RestTestClient client;

    @Autowired
    MongoTemplate mongo;

    AuthClient auth;

    @BeforeEach
    void setUp() {
        auth = new AuthClient(client);
    }

    @Test
    void returns201WithIdAndEmailOnSuccessfulSignup() {
        String email = uniqueEmail();

        auth.post("/api/users/signup", credentials(email, PASSWORD))
                .expectStatus().isCreated()
                .expectHeader().contentType(MediaType.APPLICATION_JSON)
                .expectBody()
                .jsonPath("$.email").isEqualTo(email)
                .jsonPath("$.id").value(String.class, id -> assertThat(id).matches("[0-9a-f]{24}"))
                .jsonPath("$._id").doesNotExist()
                .jsonPath("$.password").doesNotExist()
                .jsonPath("$.passwordHash").doesNotExist();
    }

    @Test
    void setsTheSessionCookieAfterSuccessfulSignup() {
        auth.post("/api/users/signup", credentials(uniqueEmail(), PASSWORD))
                .expectStatus().isCreated()
                .expectHeader().value("Set-Cookie", setCookie -> assertThat(setCookie)
                        .startsWith("session=")
                        .contains("; Path=/", "; HttpOnly", "; SameSite=Lax")
                        .doesNotContain("Secure"));
    }

    @Test
    void returns400WithAPasswordOver20Characters() {
        auth.post("/api/users/signup", credentials(uniqueEmail(), "p".repeat(21)))
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].message").isEqualTo("Password must be between 4 and 20 characters");
        auth.post("/api/users/signup", credentials(uniqueEmail(), "p".repeat(20)))
                .expectStatus().isCreated();
    }

    @Test
    void measuresThePasswordAfterTrimmingIt() {
        auth.post("/api/users/signup", credentials(uniqueEmail(), "  abc  "))
                .expectStatus().isBadRequest();
        auth.post("/api/users/signup", credentials(uniqueEmail(), "   abcd   "))
                .expectStatus().isCreated();
    }

    @Test
    void disallowsDuplicateEmails() {
        String email = uniqueEmail();
        auth.post("/api/users/signup", credentials(email, PASSWORD)).expectStatus().isCreated();

        auth.post("/api/users/signup", credentials(email, "another"))
                .expectStatus().isBadRequest()
                .expectBody().json("""
                        {"title":"Bad Request","status":400,"detail":"Email in use","instance":"/api/users/signup",
                         "errors":[{"message":"Email in use"}]}""");
    }

    @Test
    void normalizesEmailCaseAndWhitespace() {
        String email = uniqueEmail();

        auth.post("/api/users/signup", credentials("  " + email.toUpperCase() + " ", PASSWORD))
                .expectStatus().isCreated()
                .expectBody().jsonPath("$.email").isEqualTo(email);
        auth.post("/api/users/signup", credentials(email, PASSWORD))
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].message").isEqualTo("Email in use");
        auth.post("/api/users/signin", credentials(" " + capitalized(email), PASSWORD))
                .expectStatus().isOk()
                .expectBody().jsonPath("$.email").isEqualTo(email);
    }

    @Test
    void storesOnlyASaltedHashOfThePassword() {
        String email = uniqueEmail();
        String other = uniqueEmail();
        auth.post("/api/users/signup", credentials(email, PASSWORD)).expectStatus().isCreated();
        auth.post("/api/users/signup", credentials(other, PASSWORD)).expectStatus().isCreated();

        User stored = mongo.findOne(Query.query(Criteria.where("email").is(email)), User.class);
        User storedOther = mongo.findOne(Query.query(Criteria.where("email").is(other)), User.class);

        assertThat(stored.passwordHash()).startsWith("{bcrypt}$2a$").doesNotContain(PASSWORD);
        assertThat(stored.passwordHash()).isNotEqualTo(storedOther.passwordHash());
    }

    private static String capitalized(String email) {
        return Character.toUpperCase(email.charAt(0)) + email.substring(1);
    }
}
