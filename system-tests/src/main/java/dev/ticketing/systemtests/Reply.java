package dev.ticketing.systemtests;

import java.net.http.HttpHeaders;
import tools.jackson.databind.JsonNode;

/** One HTTP answer from the edge: status, parsed JSON body (a missing node when empty) and headers. */
public record Reply(int status, JsonNode body, HttpHeaders headers) {

    /** The contract's first error message, {@code errors[0].message}, or "" when there is none. */
    public String message() {
        return body.path("errors").path(0).path("message").asString("");
    }

    public String id() {
        return body.path("id").asString();
    }
}
