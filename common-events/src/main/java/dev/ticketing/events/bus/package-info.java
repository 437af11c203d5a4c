/** The event bus over NATS JetStream: publishing, durable consumers, dead letters, health and metrics. */
@NullMarked
package dev.ticketing.events.bus;

import org.jspecify.annotations.NullMarked;
