package dev.ticketing.auth.users;

import static dev.ticketing.auth.users.AuthClient.PASSWORD;
import static dev.ticketing.auth.users.AuthClient.credentials;
import static dev.ticketing.auth.users.AuthClient.uniqueEmail;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ticketing.testsupport.service.ServiceTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;

@ServiceTest
class ConcurrentSignupIntegrationTests {

    private static final int RACERS = 20;

    @LocalServerPort
    int port;

    @Autowired
    MongoTemplate mongo;

    @Test
    void twentyConcurrentSignupsWithOneEmailGiveExactlyOne201() {
        String email = uniqueEmail();
        HttpRequest signup = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/users/signup"))
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(credentials(email, PASSWORD)))
                .build();

        List<HttpResponse<String>> responses;
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            List<CompletableFuture<HttpResponse<String>>> inFlight = IntStream.range(0, RACERS)
                    .mapToObj(i -> http.sendAsync(signup, HttpResponse.BodyHandlers.ofString()))
                    .toList();
            responses = inFlight.stream().map(CompletableFuture::join).toList();
        }

        assertThat(responses).filteredOn(response -> response.statusCode() == 201).hasSize(1);
        assertThat(responses).filteredOn(response -> response.statusCode() == 400).hasSize(RACERS - 1)
                .allSatisfy(response -> assertThat(response.body()).contains("\"message\":\"Email in use\""));
        assertThat(mongo.count(Query.query(Criteria.where("email").is(email)), User.class)).isOne();
    }
}
