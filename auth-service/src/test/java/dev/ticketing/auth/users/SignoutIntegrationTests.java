package dev.ticketing.auth.users;

import static dev.ticketing.auth.users.AuthClient.uniqueEmail;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ticketing.testsupport.service.ServiceTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.test.json.JsonCompareMode;
import org.springframework.test.web.servlet.client.RestTestClient;

@ServiceTest
class SignoutIntegrationTests {

    @Autowired
    RestTestClient client;

    AuthClient auth;

    @BeforeEach
    void setUp() {
        auth = new AuthClient(client);
    }

    @Test
    void clearsTheCookieAfterSigningOut() {
        String session = auth.signedUp(uniqueEmail());

        client.post().uri("/api/users/signout").header(HttpHeaders.COOKIE, session).exchange()
                .expectStatus().isOk()
                .expectHeader().value("Set-Cookie", setCookie -> assertThat(setCookie)
                        .startsWith("session=;")
                        .contains("; Path=/", "; Max-Age=0", "; Expires=Thu, 01 Jan 1970 00:00:00 GMT", "; HttpOnly",
                                "; SameSite=Lax"))
                .expectBody().json("{}", JsonCompareMode.STRICT);
    }

    @Test
    void signingOutWorksForAnonymousCallersAndJsonBodies() {
        auth.post("/api/users/signout", "{}")
                .expectStatus().isOk()
                .expectHeader().value("Set-Cookie", setCookie -> assertThat(setCookie).startsWith("session=;"));
    }
}
