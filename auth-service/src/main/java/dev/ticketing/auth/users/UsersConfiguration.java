package dev.ticketing.auth.users;

import dev.ticketing.web.errors.ErrorStatuses;
import java.util.Map;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.http.HttpStatus;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;

@Configuration(proxyBeanMethods = false)
class UsersConfiguration {

    /** Hashes carry an {bcrypt} prefix, so a later switch of algorithm can still verify existing hashes. */
    @Bean
    PasswordEncoder passwordEncoder(AuthProperties properties) {
        return new DelegatingPasswordEncoder("bcrypt",
                Map.of("bcrypt", new BCryptPasswordEncoder(properties.bcryptStrength())));
    }

    /** The domain's refusals, in the contract's words (web-support renders them). */
    @Bean
    ErrorStatuses accountRefusals() {
        return new ErrorStatuses(Map.of(EmailInUse.class, HttpStatus.BAD_REQUEST,
                InvalidCredentials.class, HttpStatus.BAD_REQUEST));
    }

    /**
     * The unique index on the normalized email is what makes "Email in use" true under concurrency. Created before
     * the web server takes requests (idempotent when it exists); a database that cannot be reached fails the start.
     */
    @Bean
    SmartInitializingSingleton uniqueEmailIndex(MongoTemplate mongo) {
        return () -> mongo.indexOps(User.class)
                .createIndex(new Index().on("email", Sort.Direction.ASC).unique().named("email_unique"));
    }
}
