/** The transactional outbox: events stored with the aggregate's document and relayed to the bus. */
@NullMarked
package dev.ticketing.events.outbox;

import org.jspecify.annotations.NullMarked;
