package dev.ticketing.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StackSettingsTests {

    @TempDir
    Path checkout;

    @BeforeEach
    void looksLikeTheRepository() throws Exception {
        Files.writeString(checkout.resolve("run-local.sh"), "#!/bin/sh\n");
        Files.writeString(checkout.resolve("pom.xml"), "<project/>\n");
        Files.createDirectories(checkout.resolve("some/sub/dir"));
    }

    @Test
    void defaultsAreThoseOfTheReadme() {
        StackSettings settings = StackSettings.fromEnvironment(Map.of(), checkout);

        assertThat(settings.repositoryRoot()).isEqualTo(checkout.toAbsolutePath());
        assertThat(settings.dataDir()).isEqualTo(checkout.resolve(".local").toAbsolutePath());
        assertThat(settings.port()).isEqualTo(8080);
        assertThat(settings.ordersReplicas()).isEqualTo(1);
        assertThat(settings.orderExpiration()).isNull();
        assertThat(settings.jwtKey()).isNull();
        assertThat(settings.natsUrl()).isNull();
        assertThat(settings.natsNodes()).isEqualTo(1);
        assertThat(settings.mongoUri()).isNull();
        assertThat(settings.stripeKey()).isNull();
        assertThat(settings.ingressManifests()).isEqualTo(checkout.resolve("infra/k8s").toAbsolutePath());
        assertThat(settings.echoLogs()).isTrue();
        assertThat(settings.startupCache()).isTrue();
        assertThat(settings.startupCacheDir()).isEqualTo(checkout.resolve(".local/aot").toAbsolutePath());
    }

    @Test
    void startupCacheIsTurnedOffByAotCacheOffAndLeftOffForLibraryCallers() {
        assertThat(StackSettings.fromEnvironment(Map.of("AOT_CACHE", "off"), checkout).startupCache()).isFalse();
        assertThat(StackSettings.builder(checkout, checkout.resolve(".local")).build().startupCache()).isFalse();
        assertThat(StackSettings.builder(checkout, checkout.resolve(".local")).startupCache(true).build()
                .startupCache()).isTrue();
        assertThatThrownBy(() -> StackSettings.fromEnvironment(Map.of("AOT_CACHE", "no"), checkout))
                .hasMessage("AOT_CACHE must be on or off, not 'no'");
    }

    @Test
    void readsEveryVariable() {
        StackSettings settings = StackSettings.fromEnvironment(Map.of(
                "PORT", "9090", "DATA_DIR", "/tmp/elsewhere", "ORDERS_REPLICAS", "3", "ORDER_EXPIRATION", "PT30S",
                "JWT_KEY", "k".repeat(40), "NATS_URL", "nats://n:4222", "MONGODB_URI", "mongodb://m:27017",
                "SERVICE_JVM_OPTS", "-Xmx128m  -XX:+UseSerialGC", "STRIPE_KEY", "sk_test_123"),
                checkout.resolve("some/sub/dir"));

        assertThat(settings.repositoryRoot()).isEqualTo(checkout.toAbsolutePath());
        assertThat(settings.port()).isEqualTo(9090);
        assertThat(settings.dataDir()).isEqualTo(Path.of("/tmp/elsewhere"));
        assertThat(settings.ordersReplicas()).isEqualTo(3);
        assertThat(settings.orderExpiration()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.natsUrl()).isEqualTo("nats://n:4222");
        assertThat(settings.mongoUri()).isEqualTo("mongodb://m:27017");
        assertThat(settings.serviceJvmOptions()).isEqualTo(List.of("-Xmx128m", "-XX:+UseSerialGC"));
        assertThat(settings.stripeKey()).isEqualTo("sk_test_123");
    }

    @Test
    void runLocalStartsTheServicesWithC1OnlyAndALibraryCallersWithTheFullJit() {
        assertThat(StackSettings.fromEnvironment(Map.of(), checkout).serviceJvmOptions())
                .containsAll(StackSettings.DEFAULT_JVM_OPTIONS).contains("-XX:TieredStopAtLevel=1");
        assertThat(StackSettings.builder(checkout, checkout.resolve(".local")).build().serviceJvmOptions())
                .isEqualTo(StackSettings.DEFAULT_JVM_OPTIONS);
    }

    @Test
    void aLibraryCallersStackUsesTheSandboxProviderWhateverTheShellHolds() {
        assertThat(StackSettings.builder(checkout, checkout.resolve(".local")).build().stripeKey()).isNull();
        assertThat(StackSettings.fromEnvironment(Map.of("STRIPE_KEY", " "), checkout).stripeKey()).isNull();
    }

    @Test
    void springMongodbUriWinsOverMongodbUri() {
        StackSettings settings = StackSettings.fromEnvironment(
                Map.of("MONGODB_URI", "mongodb://b", "SPRING_MONGODB_URI", "mongodb://a"), checkout);

        assertThat(settings.mongoUri()).isEqualTo("mongodb://a");
    }

    @Test
    void explainsBadValues() {
        assertThatThrownBy(() -> StackSettings.fromEnvironment(Map.of("ORDER_EXPIRATION", "15m"), checkout))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("ISO-8601").hasMessageContaining("PT15M");
        assertThatThrownBy(() -> StackSettings.fromEnvironment(Map.of("ORDER_EXPIRATION", "-PT1S"), checkout))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("positive");
        assertThatThrownBy(() -> StackSettings.fromEnvironment(Map.of("ORDERS_REPLICAS", "0"), checkout))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("ORDERS_REPLICAS");
        assertThatThrownBy(() -> StackSettings.fromEnvironment(Map.of("PORT", "http"), checkout))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("PORT must be a whole number");
        assertThatThrownBy(() -> StackSettings.fromEnvironment(Map.of("PORT", "0"), checkout))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("PORT must be between 1 and 65535");
        assertThatThrownBy(() -> StackSettings.fromEnvironment(Map.of("PORT", "65536"), checkout))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("PORT must be between 1 and 65535");
    }

    @Test
    void runsOneNatsServerOrAClusterOfThree() {
        assertThat(StackSettings.fromEnvironment(Map.of("NATS_NODES", "3"), checkout).natsNodes()).isEqualTo(3);
        assertThat(StackSettings.builder(checkout, checkout.resolve(".local")).natsNodes(3).build().natsNodes())
                .isEqualTo(3);
        assertThatThrownBy(() -> StackSettings.fromEnvironment(Map.of("NATS_NODES", "2"), checkout))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("NATS_NODES must be 1")
                .hasMessageContaining("not 2");
        assertThatThrownBy(() -> StackSettings.fromEnvironment(Map.of("NATS_NODES", "three"), checkout))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("NATS_NODES must be a whole number");
        assertThatThrownBy(() -> StackSettings.fromEnvironment(
                Map.of("NATS_NODES", "3", "NATS_URL", "nats://n:4222"), checkout))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not both");
    }

    @Test
    void runsEveryServiceUnlessALibraryCallerNamesSome() {
        assertThat(StackSettings.fromEnvironment(Map.of(), checkout).services())
                .containsExactly("auth-service", "tickets-service", "orders-service", "payments-service", "client");
        assertThat(StackSettings.builder(checkout, checkout.resolve(".local")).services("auth-service", "tickets-service")
                .build().services()).containsExactly("auth-service", "tickets-service");
        assertThatThrownBy(() -> StackSettings.builder(checkout, checkout.resolve(".local")).services("billing-service")
                .build()).isInstanceOf(IllegalStateException.class).hasMessageContaining("billing-service");
    }

    @Test
    void letsALibraryCallerAskForAFreePort() {
        assertThat(StackSettings.builder(checkout, checkout.resolve(".local")).port(0).build().port()).isZero();
    }

    @Test
    void refusesToRunOutsideTheCheckout(@TempDir Path elsewhere) {
        assertThatThrownBy(() -> StackSettings.fromEnvironment(Map.of(), elsewhere))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("run-local.sh");
    }
}
