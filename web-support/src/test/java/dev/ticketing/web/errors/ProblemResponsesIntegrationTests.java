package dev.ticketing.web.errors;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ticketing.web.testapp.WebTestApplication;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.json.JsonCompareMode;
import org.springframework.test.web.servlet.client.RestTestClient;

@SpringBootTest(classes = WebTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureRestTestClient
class ProblemResponsesIntegrationTests {

    @Autowired
    RestTestClient client;

    @LocalServerPort
    int port;

    @Test
    void validationFailureListsOneEntryPerFailedFieldInDeclarationOrder() {
        client.post().uri("/api/open/echo").contentType(MediaType.APPLICATION_JSON).body("{\"price\":-3}").exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().json("""
                        {"type":"about:blank","title":"Bad Request","status":400,
                         "detail":"Title is required; Price must be greater than 0","instance":"/api/open/echo",
                         "errors":[{"message":"Title is required","field":"title"},
                                   {"message":"Price must be greater than 0","field":"price"}]}""",
                        JsonCompareMode.STRICT);
    }

    @Test
    void problemDocumentKeepsTheContractsFieldOrder() {
        client.get().uri("/api/open/rule").exchange()
                .expectBody(String.class).isEqualTo("""
                        {"type":"about:blank","title":"Bad Request","status":400,"detail":"Cannot edit a reserved ticket",\
                        "instance":"/api/open/rule","errors":[{"message":"Cannot edit a reserved ticket"}]}""");
    }

    @Test
    void malformedJsonIsA400WithAShortMessage() {
        client.post().uri("/api/open/echo").contentType(MediaType.APPLICATION_JSON).body("{\"title\": ").exchange()
                .expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.errors[0].message").isEqualTo("Request body is not valid JSON")
                .jsonPath("$.errors[0].field").doesNotExist()
                .jsonPath("$.errors.length()").isEqualTo(1);
    }

    @Test
    void objectWhereAStringBelongsIsA400NamingTheField() {
        client.post().uri("/api/open/echo").contentType(MediaType.APPLICATION_JSON)
                .body("{\"title\":{\"$gt\":\"\"},\"price\":1}").exchange()
                .expectStatus().isBadRequest()
                .expectBody().json("""
                        {"errors":[{"message":"title must be a string","field":"title"}]}""");
    }

    @Test
    void textWhereANumberBelongsIsA400NamingTheField() {
        client.post().uri("/api/open/echo").contentType(MediaType.APPLICATION_JSON)
                .body("{\"title\":\"x\",\"price\":\"lots\"}").exchange()
                .expectStatus().isBadRequest()
                .expectBody().json("""
                        {"errors":[{"message":"price must be a number","field":"price"}]}""");
    }

    @Test
    void bodyThatIsNotAnObjectIsA400() {
        client.post().uri("/api/open/echo").contentType(MediaType.APPLICATION_JSON).body("[1,2]").exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].message").isEqualTo("Request body must be a JSON object");
    }

    @Test
    void missingBodyIsA400() {
        client.post().uri("/api/open/echo").contentType(MediaType.APPLICATION_JSON).exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].message").isEqualTo("Request body is missing");
    }

    @Test
    void bodyOverTheLimitIsRejectedWith413() {
        String big = "{\"title\":\"" + "x".repeat(2048) + "\",\"price\":1}";

        client.post().uri("/api/open/echo").contentType(MediaType.APPLICATION_JSON).body(big).exchange()
                .expectStatus().isEqualTo(HttpStatus.CONTENT_TOO_LARGE)
                .expectBody().jsonPath("$.errors[0].message").isEqualTo("Request body is too large (at most 1 KB)");
    }

    @Test
    void chunkedBodyOverTheLimitIsRejectedWith413() throws Exception {
        byte[] big = ("{\"title\":\"" + "x".repeat(4096) + "\",\"price\":1}").getBytes();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/open/echo"))
                .header("Content-Type", "application/json")
                // An InputStream publisher has no length, so the body goes chunked, without Content-Length.
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big)))
                .build();

        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(413);
            assertThat(response.body()).contains("Request body is too large");
        }
    }

    @Test
    void unexpectedFailureIsA500WithoutDetails() {
        client.get().uri("/api/open/boom").exchange()
                .expectStatus().isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR)
                .expectBody()
                .json("""
                        {"title":"Internal Server Error","status":500,"detail":"Something went wrong",
                         "errors":[{"message":"Something went wrong"}]}""")
                .consumeWith(result -> assertThat(new String(result.getResponseBodyContent()))
                        .doesNotContain("secret-internal-detail", "IllegalStateException", "at dev."));
    }

    @Test
    void businessRuleIsA400WithTheRulesMessage() {
        client.get().uri("/api/open/rule").exchange()
                .expectStatus().isBadRequest()
                .expectBody().json("""
                        {"detail":"Cannot edit a reserved ticket","errors":[{"message":"Cannot edit a reserved ticket"}]}""");
    }

    @Test
    void subclassOfAMappedDomainExceptionAnswersLikeIt() {
        client.get().uri("/api/open/rule-subclass").exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].message").isEqualTo("Cannot edit a reserved ticket");
    }

    @Test
    void domainExceptionMappedTo401SaysOnlyNotAuthorized() {
        client.get().uri("/api/open/not-owner").exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().json("""
                        {"status":401,"detail":"Not authorized","errors":[{"message":"Not authorized"}]}""");
    }

    @Test
    void unmappedDomainExceptionIsA500WithoutDetails() {
        client.get().uri("/api/open/unmapped").exchange()
                .expectStatus().isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR)
                .expectBody()
                .jsonPath("$.errors[0].message").isEqualTo("Something went wrong")
                .consumeWith(result -> assertThat(new String(result.getResponseBodyContent()))
                        .doesNotContain("secret-internal-detail"));
    }

    @Test
    void responseStatusExceptionSaysItsReason() {
        client.get().uri("/api/open/limit").exchange()
                .expectStatus().isBadRequest()
                .expectBody().json("""
                        {"detail":"limit must be between 1 and 500","errors":[{"message":"limit must be between 1 and 500"}]}""");
    }

    @Test
    void optimisticLockConflictIsA409() {
        client.get().uri("/api/open/conflict").exchange()
                .expectStatus().isEqualTo(HttpStatus.CONFLICT)
                .expectBody().jsonPath("$.errors[0].message")
                .isEqualTo("The resource was changed by someone else; reload it and try again");
    }

    @Test
    void unknownResourceIsA404() {
        client.get().uri("/api/things/5f1e3b2a9c8d7e6f5a4b3c2d").exchange()
                .expectStatus().isNotFound()
                .expectBody().json("""
                        {"detail":"Not Found","instance":"/api/things/5f1e3b2a9c8d7e6f5a4b3c2d",
                         "errors":[{"message":"Not Found"}]}""");
    }

    @Test
    void malformedPathIdIsA404() {
        client.get().uri("/api/open/numbers/abc").exchange()
                .expectStatus().isNotFound()
                .expectBody().jsonPath("$.errors[0].message").isEqualTo("Not Found");
    }

    @Test
    void wrongMethodIsA405NamingTheAllowedOnes() {
        client.delete().uri("/api/open/whoami").exchange()
                .expectStatus().isEqualTo(HttpStatus.METHOD_NOT_ALLOWED)
                .expectHeader().valueEquals("Allow", "GET")
                .expectBody().jsonPath("$.errors[0].message").isEqualTo("Method DELETE is not allowed on this route");
    }

    @Test
    void nonJsonBodyIsA415() {
        client.post().uri("/api/open/echo").header("Content-Type", "application/xml").body("<title/>").exchange()
                .expectStatus().isEqualTo(HttpStatus.UNSUPPORTED_MEDIA_TYPE)
                .expectBody().jsonPath("$.errors[0].message").isEqualTo("Content type must be application/json");
    }

    @Test
    void errorsAreProblemDocumentsWhateverTheClientAccepts() {
        client.get().uri("/api/open/rule").accept(MediaType.TEXT_HTML).exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void requestRejectedBeforeMvcStillGetsAProblemDocument() {
        // The security firewall refuses path parameters before any controller runs; /error renders it.
        client.get().uri(URI.create("http://127.0.0.1:" + port + "/api/open/whoami;jsessionid=x")).exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.errors[0].message").isEqualTo("Bad Request");
    }

    @Test
    void errorPathItselfIsNotAResource() {
        client.get().uri("/error").exchange()
                .expectStatus().isNotFound()
                .expectBody().jsonPath("$.errors[0].message").isEqualTo("Not Found");
    }
}
