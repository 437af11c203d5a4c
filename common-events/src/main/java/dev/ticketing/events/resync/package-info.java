/** Republishing current state when a stream has lost events. */
@NullMarked
package dev.ticketing.events.resync;

import org.jspecify.annotations.NullMarked;
