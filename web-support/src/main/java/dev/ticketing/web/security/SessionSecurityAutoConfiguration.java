package dev.ticketing.web.security;

import jakarta.servlet.DispatcherType;
import java.time.Clock;
import java.util.List;
import org.springdoc.core.customizers.ParameterCustomizer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.JwtTypeValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.savedrequest.NullRequestCache;
import org.springframework.security.web.util.matcher.NegatedRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.mvc.method.RequestMappingInfoHandlerMapping;

/**
 * Session-cookie JWT security for every service: Spring Security's OAuth2 resource server reading the token from the
 * {@code session} cookie, HS256 with the shared {@code JWT_KEY}, bad tokens meaning anonymous, every mapped route
 * protected unless an {@link OpenRoutes} bean opens it, and {@link CurrentUser} for controllers.
 */
@AutoConfiguration(before = {ServletWebSecurityAutoConfiguration.class, UserDetailsServiceAutoConfiguration.class,
        OAuth2ResourceServerAutoConfiguration.class})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@EnableWebSecurity
@EnableConfigurationProperties(SessionProperties.class)
public final class SessionSecurityAutoConfiguration {

    /** Always open: probes, the OpenAPI description and Swagger UI, and the error page itself. */
    private static final String[] INFRASTRUCTURE = {"/actuator/health", "/actuator/health/**", "/v3/api-docs",
        "/v3/api-docs/**", "/v3/api-docs.yaml", "/swagger-ui.html", "/swagger-ui/**", "/error"};

    @Bean
    @ConditionalOnMissingBean
    JwtDecoder sessionJwtDecoder(SessionProperties properties) {
        // HS256 only: alg "none" and any other algorithm are refused by Nimbus before a signature is even checked.
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withSecretKey(properties.signingKey())
                .macAlgorithm(MacAlgorithm.HS256)
                .build();
        JwtTimestampValidator timestamps = new JwtTimestampValidator();
        // A token without exp would be valid forever; the contract always issues one.
        timestamps.setAllowEmptyExpiryClaim(false);
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(JwtTypeValidator.jwt(), timestamps,
                new SessionClaims()));
        return decoder;
    }

    @Bean
    @ConditionalOnMissingBean
    JwtEncoder sessionJwtEncoder(SessionProperties properties) {
        return NimbusJwtEncoder.withSecretKey(properties.signingKey()).algorithm(MacAlgorithm.HS256).build();
    }

    @Bean
    SessionCookies sessionCookies(JwtEncoder encoder, SessionProperties properties) {
        return new SessionCookies(encoder, properties, Clock.systemUTC());
    }

    @Bean
    @ConditionalOnMissingBean(SecurityFilterChain.class)
    SecurityFilterChain ticketingSecurityFilterChain(HttpSecurity http, JwtDecoder decoder,
            ObjectProvider<OpenRoutes> openRoutes, ObjectProvider<RequestMappingInfoHandlerMapping> mappings,
            @Qualifier("handlerExceptionResolver") ObjectProvider<HandlerExceptionResolver> resolver) throws Exception {
        SecurityProblems problems = new SecurityProblems(resolver);
        List<RequestMatcher> open = openRoutes.orderedStream()
                .flatMap(routes -> routes.matchers().stream())
                .toList();
        JwtAuthenticationConverter principal = new JwtAuthenticationConverter();
        principal.setPrincipalClaimName(SessionClaims.ID);
        principal.setJwtGrantedAuthoritiesConverter(jwt -> AuthorityUtils.NO_AUTHORITIES);
        JwtAuthenticationProvider tokens = new JwtAuthenticationProvider(decoder);
        tokens.setJwtAuthenticationConverter(principal);

        http
                // CSRF: SameSite=Lax cookie + JSON-only state changes + no CORS; reasoning in web-support/README.md.
                .csrf(AbstractHttpConfigurer::disable)
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.requestCache(new NullRequestCache()))
                .httpBasic(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .oauth2ResourceServer(server -> server
                        .bearerTokenResolver(new SessionCookieTokenResolver())
                        .authenticationEntryPoint(problems)
                        .accessDeniedHandler(problems)
                        .jwt(jwt -> jwt.authenticationManager(new AnonymousWhenTokenInvalid(tokens))))
                .exceptionHandling(exceptions -> exceptions
                        .authenticationEntryPoint(problems)
                        .accessDeniedHandler(problems))
                .authorizeHttpRequests(authorize -> {
                    authorize.dispatcherTypeMatchers(DispatcherType.ERROR).permitAll();
                    authorize.requestMatchers(INFRASTRUCTURE).permitAll();
                    open.forEach(route -> authorize.requestMatchers(route).permitAll());
                    authorize.requestMatchers(new NegatedRequestMatcher(new KnownRoutes(mappings))).permitAll();
                    authorize.anyRequest().authenticated();
                });
        return http.build();
    }

    /** Keeps {@link CurrentUser} arguments, which come from the cookie, out of the OpenAPI parameters. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springdoc.core.customizers.ParameterCustomizer")
    static class CurrentUserOpenApi {

        @Bean
        ParameterCustomizer currentUserIsNoParameter() {
            CurrentUserArgumentResolver currentUser = new CurrentUserArgumentResolver();
            // Returning null removes the parameter from the document.
            return (parameter, methodParameter) -> currentUser.supportsParameter(methodParameter) ? null : parameter;
        }
    }

    @Bean
    WebMvcConfigurer sessionWebMvcConfigurer() {
        return new WebMvcConfigurer() {
            @Override
            public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
                resolvers.add(new CurrentUserArgumentResolver());
            }

            @Override
            public void addInterceptors(InterceptorRegistry registry) {
                registry.addInterceptor(new JsonOnlyStateChanges());
            }
        };
    }
}
