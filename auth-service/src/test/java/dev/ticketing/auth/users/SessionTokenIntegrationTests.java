package dev.ticketing.auth.users;

import static dev.ticketing.auth.users.AuthClient.uniqueEmail;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.ticketing.otherservice.OtherServiceApplication;
import dev.ticketing.testsupport.TestServers;
import dev.ticketing.testsupport.service.Instances;
import dev.ticketing.testsupport.service.ServiceInstance;
import dev.ticketing.testsupport.service.ServiceTest;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.test.json.JsonCompareMode;
import org.springframework.test.web.servlet.client.RestTestClient;

@ServiceTest
class SessionTokenIntegrationTests {

    private static final String ANONYMOUS = "{\"currentUser\":null}";
    private static final String USER_ID = "5f1e3b2a9c8d7e6f5a4b3c2d";

    @Autowired
    RestTestClient client;

    AuthClient auth;

    @BeforeEach
    void setUp() {
        auth = new AuthClient(client);
    }

    @Test
    void tamperedTokenMakesTheCallerAnonymous() throws ParseException {
        String genuine = ForgedTokens.tokenOf(auth.signedUp(uniqueEmail()));
        JWTClaimsSet claims = com.nimbusds.jwt.SignedJWT.parse(genuine).getJWTClaimsSet();
        JWTClaimsSet someoneElse = new JWTClaimsSet.Builder(claims).claim("id", USER_ID).build();

        anonymousWith(ForgedTokens.withPayload(genuine, someoneElse));
    }

    @Test
    void expiredTokenMakesTheCallerAnonymous() {
        Instant longAgo = Instant.now().minus(Duration.ofDays(8));

        anonymousWith(ForgedTokens.signed(ForgedTokens.KEY,
                ForgedTokens.claims(USER_ID, "old@test.com", longAgo, Duration.ofDays(7))));
    }

    @Test
    void tokenSignedWithAnotherKeyMakesTheCallerAnonymous() {
        anonymousWith(ForgedTokens.signed("some-other-service-key-0123456789abcdef",
                ForgedTokens.claims(USER_ID, "intruder@test.com", Instant.now(), Duration.ofHours(1))));
    }

    @Test
    void unsignedAlgNoneTokenMakesTheCallerAnonymous() {
        anonymousWith(ForgedTokens.unsigned(
                ForgedTokens.claims(USER_ID, "intruder@test.com", Instant.now(), Duration.ofHours(1))));
    }

    @Test
    void garbageCookieMakesTheCallerAnonymous() {
        auth.currentUser("session=not-base64-%%%").expectStatus().isOk().expectBody().json(ANONYMOUS);
        auth.currentUser("session=" + "eyJqd3QiOiJub3QuYS5qd3QifQ==").expectStatus().isOk().expectBody().json(ANONYMOUS);
    }

    @Test
    void tokenMintedHereIsAcceptedByAnotherServiceUsingWebSupport(Instances instances) {
        String email = uniqueEmail();
        String session = auth.signedUp(email);

        try (ServiceInstance other = instances.start(OtherServiceApplication.class,
                "spring.application.name=other-service", "spring.mongodb.uri=" + TestServers.mongoUri("other-service"),
                "ticketing.security.jwt-key=" + ForgedTokens.KEY, "ticketing.security.cookie-secure=false")) {
            RestTestClient otherService = other.http();

            otherService.get().uri("/api/orders/whoami").header(HttpHeaders.COOKIE, session).exchange()
                    .expectStatus().isOk()
                    .expectBody().jsonPath("$.email").isEqualTo(email).jsonPath("$.id").isNotEmpty();
            otherService.get().uri("/api/orders/whoami").exchange()
                    .expectStatus().isUnauthorized()
                    .expectBody().jsonPath("$.errors[0].message").isEqualTo("Not authorized");
            // And after signing out, the cleared cookie carries no session at all.
            otherService.get().uri("/api/orders/whoami").header(HttpHeaders.COOKIE, "session=").exchange()
                    .expectStatus().isUnauthorized();
        }
    }

    private void anonymousWith(String token) {
        auth.currentUser(ForgedTokens.sessionCookie(token))
                .expectStatus().isOk()
                .expectBody().json(ANONYMOUS, JsonCompareMode.STRICT);
    }
}
