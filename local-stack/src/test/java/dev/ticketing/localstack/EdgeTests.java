package dev.ticketing.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ticketing.localstack.IngressRoutes.PathType;
import dev.ticketing.localstack.IngressRoutes.Route;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EdgeTests {

    @TempDir
    Path logs;

    @Test
    void notFoundIsTheContractsBody() {
        assertThat(Edge.problem(404, "Not Found", "/api/nothing-here"))
                .isEqualTo("{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":404,\"detail\":\"Not Found\","
                        + "\"instance\":\"/api/nothing-here\",\"errors\":[{\"message\":\"Not Found\"}]}");
    }

    @Test
    void escapesWhatAPathCanCarry() {
        assertThat(Edge.quote("/a\"b\\c\n\u0001")).isEqualTo("\"/a\\\"b\\\\c\\n\\u0001\"");
    }

    @Test
    void answersWhatItCannotRouteItselfAndLogsEveryRequest() throws Exception {
        IngressRoutes routes = new IngressRoutes(List.of(new Route("/api/users", PathType.PREFIX, "auth-service",
                Path.of("ingress.yaml"))));
        Path log = logs.resolve("edge.log");
        try (Edge edge = Edge.start(0, routes, Map.of(), log); HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> unrouted = client.send(HttpRequest.newBuilder(edge.uri().resolve("/nope?x=1")).build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> notRun = client.send(HttpRequest.newBuilder(edge.uri().resolve("/api/users/me")).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(unrouted.statusCode()).isEqualTo(404);
            assertThat(unrouted.headers().firstValue("Content-Type")).hasValue(Edge.PROBLEM_JSON);
            assertThat(unrouted.body()).isEqualTo(Edge.problem(404, "Not Found", "/nope"));
            assertThat(notRun.statusCode()).isEqualTo(503);
            assertThat(notRun.body()).contains("auth-service is not run by this local stack");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(Files.readAllLines(log))
                    .hasSize(2)
                    .allMatch(line -> line.matches("\\[\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z] GET /\\S+ HTTP/1.1 \\d{3} \\d+ms edge"))
                    .anyMatch(line -> line.contains(" GET /nope?x=1 HTTP/1.1 404 ")));
        }
    }
}
