package dev.ticketing.client;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfTokenRequestAttributeHandler;

/**
 * Spring Security only for CSRF: who may do what is the APIs' business (they see the session cookie). The token
 * lives in a cookie, not a server session, so the pages stay stateless; Thymeleaf puts it in every {@code th:action}
 * form and htmx's boosted forms send it along.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    @Bean
    SecurityFilterChain pages(HttpSecurity http) throws Exception {
        CsrfTokenRequestAttributeHandler eager = new CsrfTokenRequestAttributeHandler();
        // Load the token while the page renders, so its cookie is set before the response is committed.
        eager.setCsrfRequestAttributeName(null);
        return http
                .authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                // /api/** here is only ever the contract's 404 (UnknownApiPaths), for any method, as an API answers.
                .csrf(csrf -> csrf.csrfTokenRepository(new CookieCsrfTokenRepository())
                        .csrfTokenRequestHandler(eager).ignoringRequestMatchers("/api/**"))
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.disable())
                .formLogin(form -> form.disable())
                .httpBasic(basic -> basic.disable())
                .logout(logout -> logout.disable())
                .anonymous(anonymous -> anonymous.disable())
                .build();
    }
}
