package dev.ticketing.auth.users;

import static dev.ticketing.auth.users.AuthClient.uniqueEmail;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ticketing.testsupport.service.ServiceTest;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.json.JsonCompareMode;
import org.springframework.test.web.servlet.client.RestTestClient;

@ServiceTest
class CurrentUserIntegrationTests {

    @Autowired
    RestTestClient client;

    AuthClient auth;

    @BeforeEach
    void setUp() {
        auth = new AuthClient(client);
    }

    @Test
    void respondsWithDetailsAboutTheCurrentUser() {
        String email = uniqueEmail();
        long before = Instant.now().getEpochSecond();
        String session = auth.signedUp(email);

        auth.currentUser(session)
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.currentUser.email").isEqualTo(email)
                .jsonPath("$.currentUser.id").value(String.class, id -> assertThat(id).matches("[0-9a-f]{24}"))
                .jsonPath("$.currentUser.iat").value(Long.class, iat -> assertThat(iat).isBetween(before,
                        Instant.now().getEpochSecond()))
                .jsonPath("$.currentUser.exp").doesNotExist();
    }

    @Test
    void respondsWithNullIfNotAuthenticated() {
        client.get().uri("/api/users/currentuser").exchange()
                .expectStatus().isOk()
                .expectBody().json("{\"currentUser\":null}", JsonCompareMode.STRICT);
    }

    @Test
    void signingInAgainGivesTheSameUser() {
        String email = uniqueEmail();
        String fromSignup = auth.signedUp(email);
        String fromSignin = AuthClient.sessionOf(auth.post("/api/users/signin", AuthClient.credentials(email,
                AuthClient.PASSWORD)).expectStatus().isOk().returnResult().getResponseHeaders().getFirst("Set-Cookie"));

        String idFromSignup = new String(auth.currentUser(fromSignup).expectBody().returnResult()
                .getResponseBodyContent());
        String idFromSignin = new String(auth.currentUser(fromSignin).expectBody().returnResult()
                .getResponseBodyContent());

        assertThat(idFromSignin.replaceAll("\"iat\":\\d+", ""))
                .isEqualTo(idFromSignup.replaceAll("\"iat\":\\d+", ""));
    }
}
