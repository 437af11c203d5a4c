package dev.ticketing.web.errors;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Request limits shared by every service.
 *
 * @param maxBodySize largest request body accepted; larger ones get 413 (the Node course's express.json default)
 */
@ConfigurationProperties("ticketing.web")
public record WebProperties(@DefaultValue("100KB") DataSize maxBodySize) {

    public WebProperties {
        if (maxBodySize.toBytes() <= 0) {
            throw new IllegalArgumentException("ticketing.web.max-body-size must be positive, was " + maxBodySize);
        }
    }
}
