package dev.ticketing.auth.users;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

/** The few requests every auth test repeats, spelled once. */
final class AuthClient {

    static final String PASSWORD = "password";

    private final RestTestClient client;

    AuthClient(RestTestClient client) {
        this.client = client;
    }

    /** A fresh address per test: the tests share one database and never clean it. */
    static String uniqueEmail() {
        return "user-" + UUID.randomUUID().toString().substring(0, 8) + "@test.com";
    }

    /** An expected entry of a problem's errors array, compared exactly (a field-less entry has no field). */
    static Map<String, String> error(String message) {
        return Map.of("message", message);
    }

    static Map<String, String> error(String message, String field) {
        return Map.of("message", message, "field", field);
    }

    static String credentials(String email, String password) {
        return "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}";
    }

    RestTestClient.ResponseSpec post(String path, String json) {
        return client.post().uri(path).contentType(MediaType.APPLICATION_JSON).body(json).exchange();
    }

    /** Signs a new user up and returns the request Cookie header value that carries their session. */
    String signedUp(String email) {
        List<String> setCookie = post("/api/users/signup", credentials(email, PASSWORD))
                .expectStatus().isCreated()
                .returnResult().getResponseHeaders().get(HttpHeaders.SET_COOKIE);
        assertThat(setCookie).hasSize(1);
        return sessionOf(setCookie.getFirst());
    }

    static String sessionOf(String setCookie) {
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    RestTestClient.ResponseSpec currentUser(String cookieHeader) {
        return client.get().uri("/api/users/currentuser").header(HttpHeaders.COOKIE, cookieHeader).exchange();
    }
}
