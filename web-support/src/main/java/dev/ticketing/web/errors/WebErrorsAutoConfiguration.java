package dev.ticketing.web.errors;

import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.webmvc.autoconfigure.error.ErrorMvcAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/** Problem-document errors for every service: the advice, the /error fallback, the body size limit. */
@AutoConfiguration(before = ErrorMvcAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@EnableConfigurationProperties(WebProperties.class)
public final class WebErrorsAutoConfiguration {

    @Bean
    ProblemHandler problemHandler(ObjectProvider<ErrorStatuses> domainStatuses) {
        return new ProblemHandler(domainStatuses.orderedStream().toList());
    }

    /** Being an ErrorController, it makes Boot's BasicErrorController back off. */
    @Bean
    ErrorFallbackController errorFallbackController() {
        return new ErrorFallbackController();
    }

    @Bean
    FilterRegistrationBean<RequestBodyLimitFilter> requestBodyLimitFilter(WebProperties properties) {
        var registration = new FilterRegistrationBean<>(new RequestBodyLimitFilter(properties.maxBodySize()));
        // Wrap the body before anything (security included) can read it.
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springdoc.core.customizers.OpenApiCustomizer")
    static class OpenApiErrors {

        @Bean
        OpenApiCustomizer problemOpenApiCustomizer() {
            return new ProblemOpenApi();
        }
    }
}
