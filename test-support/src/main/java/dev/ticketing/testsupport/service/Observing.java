package dev.ticketing.testsupport.service;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A parameter that watches the bus for these event types: common-events' {@code EventObserver}, opened on the
 * {@code NatsServer} the same method or class asked for before it, otherwise on the service's own, and closed after.
 */
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Observing {

    Class<?>[] value();
}
