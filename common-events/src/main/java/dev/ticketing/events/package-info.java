/** The event contract: every event record, its wire type and the envelope it travels in. */
@NullMarked
package dev.ticketing.events;

import org.jspecify.annotations.NullMarked;
