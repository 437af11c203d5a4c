package dev.ticketing.auth.users;

import static dev.ticketing.auth.users.AuthClient.PASSWORD;
import static dev.ticketing.auth.users.AuthClient.error;
import static dev.ticketing.auth.users.AuthClient.uniqueEmail;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ticketing.auth.MongoCommands;
import dev.ticketing.testsupport.service.ServiceTest;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.test.web.servlet.client.RestTestClient;

@ServiceTest
@Import(MongoCommands.class)
class HostileInputIntegrationTests {

    @Autowired
    RestTestClient client;

    @Autowired
    MongoCommands mongoCommands;

    AuthClient auth;

    @BeforeEach
    void setUp() {
        auth = new AuthClient(client);
    }

    @Test
    void operatorInPlaceOfTheEmailIsA400AndNeverReachesMongo() {
        // A real user with a known password: if {"$gt": ""} were queried, it would match them and sign in.
        auth.signedUp(uniqueEmail());

        for (String route : new String[] {"/api/users/signin", "/api/users/signup"}) {
            auth.post(route, "{\"email\":{\"$gt\":\"\"},\"password\":\"" + PASSWORD + "\"}")
                    .expectStatus().isBadRequest()
                    .expectHeader().doesNotExist("Set-Cookie")
                    .expectBody().jsonPath("$.errors").isEqualTo(List.of(error("email must be a string", "email")));
        }
        assertThat(mongoCommands.sent()).isNotEmpty().noneMatch(command -> command.contains("$gt"));
    }

    @Test
    void operatorInPlaceOfThePasswordIsA400() {
        String email = uniqueEmail();
        auth.signedUp(email);

        auth.post("/api/users/signin", "{\"email\":\"" + email + "\",\"password\":{\"$ne\":\"\"}}")
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("password");
    }
}
