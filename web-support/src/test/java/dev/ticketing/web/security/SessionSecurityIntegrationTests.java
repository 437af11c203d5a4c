package dev.ticketing.web.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.ticketing.web.testapp.WebTestApplication;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;
import org.springframework.test.json.JsonCompareMode;
import org.springframework.test.web.servlet.client.RestTestClient;

@SpringBootTest(classes = WebTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureRestTestClient
class SessionSecurityIntegrationTests {

    private static final String THING = "{\"title\":\"concert\",\"price\":20}";

    @Autowired
    RestTestClient client;

    @Autowired
    SessionCookies sessionCookies;

    static Stream<Arguments> badSessionCookies() {
        Instant now = Instant.now();
        return Stream.of(
                Arguments.of("tampered payload", Tokens.cookieValue(Tokens.tampered())),
                Arguments.of("expired", Tokens.cookieValue(Tokens.signed(JWSAlgorithm.HS256, Tokens.KEY,
                        Tokens.claims(now.minus(Duration.ofHours(2)), Duration.ofHours(1)).build()))),
                Arguments.of("signed with another key", Tokens.cookieValue(Tokens.signed(JWSAlgorithm.HS256,
                        Tokens.OTHER_KEY, Tokens.validClaims()))),
                Arguments.of("alg none", Tokens.cookieValue(Tokens.algNone(Tokens.validClaims()))),
                Arguments.of("HS512 instead of HS256", Tokens.cookieValue(Tokens.signed(JWSAlgorithm.HS512,
                        Tokens.KEY + Tokens.KEY, Tokens.validClaims()))),
                Arguments.of("no expiry", Tokens.cookieValue(Tokens.signed(JWSAlgorithm.HS256, Tokens.KEY,
                        new JWTClaimsSet.Builder(Tokens.validClaims()).expirationTime(null).build()))),
                Arguments.of("no user id", Tokens.cookieValue(Tokens.signed(JWSAlgorithm.HS256, Tokens.KEY,
                        new JWTClaimsSet.Builder(Tokens.validClaims()).claim("id", null).build()))),
                Arguments.of("not yet valid", Tokens.cookieValue(Tokens.signed(JWSAlgorithm.HS256, Tokens.KEY,
                        new JWTClaimsSet.Builder(Tokens.validClaims()).notBeforeTime(Date.from(now.plus(Duration.ofHours(1))))
                                .build()))),
                Arguments.of("garbage token", Tokens.cookieValue("not.a.jwt")),
                Arguments.of("JSON without jwt", Tokens.base64Url("{\"user\":\"x\"}")),
                Arguments.of("not JSON", Tokens.base64Url("hello")),
                Arguments.of("not base64", "%%%***"),
                Arguments.of("raw token instead of cookie JSON", Tokens.valid()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badSessionCookies")
    void badSessionCookieMakesTheCallerAnonymousOnOpenRoutes(String kind, String cookie) {
        client.get().uri("/api/open/whoami").cookie("session", cookie).exchange()
                .expectStatus().isOk()
                .expectBody().json("{\"currentUser\":null}");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badSessionCookies")
    void badSessionCookieGets401OnProtectedRoutes(String kind, String cookie) {
        client.post().uri("/api/things").cookie("session", cookie)
                .contentType(MediaType.APPLICATION_JSON).body(THING).exchange()
                .expectStatus().isUnauthorized()
                .expectBody().jsonPath("$.errors[0].message").isEqualTo("Not authorized");
    }

    @Test
    void validSessionCookieIdentifiesTheCaller() {
        client.get().uri("/api/open/whoami").cookie("session", Tokens.cookieValue(Tokens.valid())).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.currentUser.id").isEqualTo(Tokens.USER_ID)
                .jsonPath("$.currentUser.email").isEqualTo(Tokens.EMAIL);
    }

    @Test
    void cookieIssuedBySessionCookiesOpensProtectedRoutes() {
        ResponseCookie cookie = sessionCookies.issueFor(Tokens.USER_ID, Tokens.EMAIL);

        client.post().uri("/api/things").cookie(cookie.getName(), cookie.getValue())
                .contentType(MediaType.APPLICATION_JSON).body(THING).exchange()
                .expectStatus().isCreated()
                .expectBody().jsonPath("$.userId").isEqualTo(Tokens.USER_ID);
    }

    @Test
    void anonymousCallerOnProtectedRouteGetsTheContract401Body() {
        client.post().uri("/api/things").contentType(MediaType.APPLICATION_JSON).body(THING).exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().json("""
                        {"type":"about:blank","title":"Unauthorized","status":401,"detail":"Not authorized",
                         "instance":"/api/things","errors":[{"message":"Not authorized"}]}""",
                        JsonCompareMode.STRICT);
    }

    @Test
    void authenticationComesBeforeBodyValidation() {
        client.post().uri("/api/things").contentType(MediaType.APPLICATION_JSON).body("{not json").exchange()
                .expectStatus().isUnauthorized();
    }

    @Test
    void openRouteDeclaredPerMethodLeavesOtherMethodsProtected() {
        client.get().uri("/api/things").exchange().expectStatus().isOk();
        client.post().uri("/api/things").contentType(MediaType.APPLICATION_JSON).body(THING).exchange()
                .expectStatus().isUnauthorized();
    }

    @Test
    void unknownRouteIs404EvenForAnonymousCallers() {
        client.get().uri("/api/nowhere").exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.errors[0].message").isEqualTo("Not Found")
                .jsonPath("$.instance").isEqualTo("/api/nowhere");
        client.delete().uri("/api/things/x/y/z").exchange().expectStatus().isNotFound();
    }

    @Test
    void healthProbesAreOpen() {
        client.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
        client.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
    }

    @Test
    void crossSiteFormPostIsRejectedEvenWithAValidCookie() {
        ResponseCookie cookie = sessionCookies.issueFor(Tokens.USER_ID, Tokens.EMAIL);

        String multipart = "--b\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nx\r\n--b--\r\n";
        for (String[] form : new String[][] {{"application/x-www-form-urlencoded", "title=x"},
            {"text/plain", "title=x"}, {"multipart/form-data; boundary=b", multipart}}) {
            client.post().uri("/api/open/ping").cookie(cookie.getName(), cookie.getValue())
                    .header("Content-Type", form[0]).body(form[1])
                    .exchange()
                    .expectStatus().isEqualTo(HttpStatus.UNSUPPORTED_MEDIA_TYPE)
                    .expectBody().jsonPath("$.errors[0].message").isEqualTo("Content type must be application/json");
        }
    }

    @Test
    void stateChangeWithoutBodyOrWithJsonIsAccepted() {
        client.post().uri("/api/open/ping").exchange().expectStatus().isOk();
        client.post().uri("/api/open/ping").contentType(MediaType.APPLICATION_JSON).body("{}").exchange()
                .expectStatus().isOk();
    }

    @Test
    void noSessionOrSecurityCookieIsEverCreated() {
        var result = client.get().uri("/api/open/whoami").exchange().expectStatus().isOk().returnResult();

        assertThat(result.getResponseHeaders().get("Set-Cookie")).isNull();
    }
}
