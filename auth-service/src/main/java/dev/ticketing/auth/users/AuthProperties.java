package dev.ticketing.auth.users;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param bcryptStrength log2 of bcrypt's work factor: 10 (about 60 ms a hash) by default; tests use 4 to stay fast
 */
@ConfigurationProperties("ticketing.auth")
record AuthProperties(@DefaultValue("10") int bcryptStrength) {

    AuthProperties {
        if (bcryptStrength < 4 || bcryptStrength > 31) {
            throw new IllegalArgumentException("ticketing.auth.bcrypt-strength must be between 4 and 31, was "
                    + bcryptStrength);
        }
    }
}
