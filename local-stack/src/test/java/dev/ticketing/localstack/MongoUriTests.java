package dev.ticketing.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MongoUriTests {

    @Test
    void givesEachServiceItsOwnDatabaseOnTheSameServer() {
        assertThat(LocalStack.withDatabase("mongodb://127.0.0.1:4242", "tickets"))
                .isEqualTo("mongodb://127.0.0.1:4242/tickets");
        assertThat(LocalStack.withDatabase("mongodb://h:27017/", "auth")).isEqualTo("mongodb://h:27017/auth");
        assertThat(LocalStack.withDatabase("mongodb://h:27017/other", "auth")).isEqualTo("mongodb://h:27017/auth");
    }

    @Test
    void keepsCredentialsHostsAndOptions() {
        assertThat(LocalStack.withDatabase("mongodb://u:p@a:1,b:2/x?replicaSet=rs0&w=majority", "orders"))
                .isEqualTo("mongodb://u:p@a:1,b:2/orders?replicaSet=rs0&w=majority");
        assertThat(LocalStack.withDatabase("mongodb+srv://cluster.example.net?retryWrites=true", "orders"))
                .isEqualTo("mongodb+srv://cluster.example.net/orders?retryWrites=true");
    }
}
