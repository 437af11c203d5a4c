package dev.ticketing.client;

import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.ticketing.testsupport.Ports;
import dev.ticketing.testsupport.TestServersConfiguration;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

/** Nothing listens at the API's address: every page is a clear 503 page, never a stack trace. */
@SpringBootTest
@AutoConfigureMockMvc
@Import(TestServersConfiguration.class)
class ApiDownIntegrationTests {

    @DynamicPropertySource
    static void apiUrl(DynamicPropertyRegistry registry) {
        int nobody = Ports.freeLoopbackPort();
        registry.add("ticketing.client.api-url", () -> "http://127.0.0.1:" + nobody);
    }

    @Autowired
    MockMvc mvc;

    @Test
    void everyPageIsA503PageSayingTheServiceIsUnavailable() throws Exception {
        for (String page : new String[] {"/", "/tickets/t1", "/orders", "/auth/signin"}) {
            mvc.perform(get(page))
                    .andExpect(status().isServiceUnavailable())
                    .andExpect(content().string(Matchers.containsString("The service is unavailable right now")))
                    .andExpect(content().string(Matchers.not(Matchers.containsString("Exception"))));
        }
        mvc.perform(post("/auth/signup").with(csrf()).param("email", "a@example.com").param("password", "secret"))
                .andExpect(status().isServiceUnavailable());
    }
}
