package dev.ticketing.web.security;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.http.Cookie;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

class SessionCookieTokenResolverTests {

    private final SessionCookieTokenResolver resolver = new SessionCookieTokenResolver();

    @Test
    void readsTheJwtFromTheCourseCookieFormat() {
        assertThat(resolver.resolve(requestWith(Tokens.cookieValue("a.b.c")))).isEqualTo("a.b.c");
    }

    @Test
    void acceptsUrlSafeBase64AsNodeDoes() {
        String value = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"jwt\":\"x.y.z\"}".getBytes());

        assertThat(resolver.resolve(requestWith(value))).isEqualTo("x.y.z");
    }

    @Test
    void ignoresTheAuthorizationHeader() {
        MockHttpServletRequest request = new MockHttpServletRequest();
        request.addHeader("Authorization", "Bearer a.b.c");

        assertThat(resolver.resolve(request)).isNull();
    }

    @Test
    void yieldsNoTokenForCookiesNotInTheExpectedShape() {
        assertThat(resolver.resolve(new MockHttpServletRequest())).isNull();
        assertThat(resolver.resolve(requestWith(""))).isNull();
        assertThat(resolver.resolve(requestWith("***"))).isNull();
        assertThat(resolver.resolve(requestWith(Tokens.base64Url("not json")))).isNull();
        assertThat(resolver.resolve(requestWith(Tokens.base64Url("{\"jwt\":42}")))).isNull();
        assertThat(resolver.resolve(requestWith(Tokens.base64Url("{\"jwt\":\"\"}")))).isNull();
        assertThat(resolver.resolve(requestWith(Tokens.base64Url("[\"a.b.c\"]")))).isNull();
    }

    @Test
    void readsOnlyTheSessionCookie() {
        MockHttpServletRequest request = new MockHttpServletRequest();
        request.setCookies(new Cookie("other", Tokens.cookieValue("a.b.c")));

        assertThat(resolver.resolve(request)).isNull();
    }

    private static MockHttpServletRequest requestWith(String cookieValue) {
        MockHttpServletRequest request = new MockHttpServletRequest();
        request.setCookies(new Cookie("session", cookieValue));
        return request;
    }
}
