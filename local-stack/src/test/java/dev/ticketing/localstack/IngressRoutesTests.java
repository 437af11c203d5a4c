package dev.ticketing.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.ticketing.localstack.IngressRoutes.PathType;
import dev.ticketing.localstack.IngressRoutes.Route;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngressRoutesTests {

    @Test
    void readsEveryPathOfTheIngressDocumentsAndMergesRepeats() {
        IngressRoutes routes = IngressRoutes.read(resource("ingress"));

        assertThat(routes.routes()).extracting(Route::path, Route::service).containsExactlyInAnyOrder(
                tuple("/api/users", "auth-service"),
                tuple("/api/tickets", "tickets-service"),
                tuple("/api/tickets/special", "special-service"),
                tuple("/api/orders/", "orders-service"));
    }

    @Test
    void prefixMatchesWholePathElementsOnly() {
        IngressRoutes routes = IngressRoutes.read(resource("ingress"));

        assertThat(service(routes, "/api/users")).hasValue("auth-service");
        assertThat(service(routes, "/api/users/")).hasValue("auth-service");
        assertThat(service(routes, "/api/users/signup")).hasValue("auth-service");
        assertThat(service(routes, "/api/usersx")).isEmpty();
        assertThat(service(routes, "/api")).isEmpty();
        assertThat(service(routes, "/")).isEmpty();
        // A trailing slash in the manifest still matches the bare prefix, as the Ingress specification says.
        assertThat(service(routes, "/api/orders")).hasValue("orders-service");
        assertThat(service(routes, "/api/orders/123")).hasValue("orders-service");
    }

    @Test
    void longestPathWinsAndExactOnlyMatchesItself() {
        IngressRoutes routes = IngressRoutes.read(resource("ingress"));

        assertThat(service(routes, "/api/tickets/special")).hasValue("special-service");
        assertThat(service(routes, "/api/tickets/special/more")).hasValue("tickets-service");
        assertThat(service(routes, "/api/tickets/123")).hasValue("tickets-service");
    }

    @Test
    void exactBeatsPrefixOfTheSameLength() {
        IngressRoutes routes = new IngressRoutes(List.of(
                new Route("/a", PathType.PREFIX, "prefix", Path.of("x")),
                new Route("/a", PathType.EXACT, "exact", Path.of("x"))));

        assertThat(service(routes, "/a")).hasValue("exact");
        assertThat(service(routes, "/a/b")).hasValue("prefix");
    }

    @Test
    void readsTheRepositorysOwnIngress() {
        Path manifests = StackSettings.repositoryRootAbove(Path.of("")).resolve("infra").resolve("k8s");

        IngressRoutes routes = IngressRoutes.read(manifests);

        assertThat(service(routes, "/api/users/signup")).hasValue("auth-service");
        assertThat(service(routes, "/api/tickets")).hasValue("tickets-service");
        assertThat(service(routes, "/api/orders/abc")).hasValue("orders-service");
        assertThat(service(routes, "/api/payments")).hasValue("payments-service");
        assertThat(service(routes, "/")).hasValue("client");
        assertThat(service(routes, "/tickets/abc")).hasValue("client");
        assertThat(service(routes, "/live/tickets")).hasValue("client");
        assertThat(service(routes, "/apix")).as("a prefix matches whole path elements").hasValue("client");
        assertThat(routes.routes()).extracting(Route::service).as("the routes and the services the stack runs")
                .allMatch(StackSettings.SERVICES::contains).containsAll(StackSettings.SERVICES);
    }

    @Test
    void failsClearlyWhenTheManifestsDisagree() {
        assertThatThrownBy(() -> IngressRoutes.read(resource("ingress-conflict")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("disagree")
                .hasMessageContaining("/api/users");
    }

    @Test
    void failsClearlyWithoutAnIngress(@TempDir Path empty) {
        assertThatThrownBy(() -> IngressRoutes.read(resource("no-ingress")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no document with 'kind: Ingress'");
        assertThatThrownBy(() -> IngressRoutes.read(empty.resolve("missing")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("does not exist");
    }

    @Test
    void failsClearlyOnBrokenYaml(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("broken.yaml"), "kind: Ingress\nspec: [unclosed\n");

        assertThatThrownBy(() -> IngressRoutes.read(dir))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("broken.yaml");
    }

    private static Optional<String> service(IngressRoutes routes, String path) {
        return routes.match(path).map(Route::service);
    }

    private static Path resource(String name) {
        try {
            return Path.of(IngressRoutesTests.class.getResource("/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
