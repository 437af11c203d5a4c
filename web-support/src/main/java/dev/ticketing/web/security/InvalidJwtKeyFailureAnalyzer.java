package dev.ticketing.web.security;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;

/**
 * Turns a bad JWT key into a short start-up report. Ordered first so Boot's generic binding report, which would
 * print the offending value (the secret), never gets to describe it.
 */
public final class InvalidJwtKeyFailureAnalyzer extends AbstractFailureAnalyzer<InvalidJwtKeyException> implements Ordered {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidJwtKeyException cause) {
        return new FailureAnalysis(cause.getMessage(),
                "Set JWT_KEY to the same random secret of at least 32 bytes in every service, for example the output "
                        + "of 'openssl rand -base64 48'.",
                cause);
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
