package dev.ticketing.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EdgeTests {

    @Test
    void notFoundIsTheContractsBody() {
        assertThat(Edge.problem(404, "Not Found", "/api/payments"))
                .isEqualTo("{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":404,\"detail\":\"Not Found\","
                        + "\"instance\":\"/api/payments\",\"errors\":[{\"message\":\"Not Found\"}]}");
    }

    @Test
    void escapesWhatAPathCanCarry() {
        assertThat(Edge.quote("/a\"b\\c\n\u0001")).isEqualTo("\"/a\\\"b\\\\c\\n\\u0001\"");
    }
}
