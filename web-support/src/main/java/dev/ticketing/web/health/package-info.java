/** The MongoDB readiness check every service shares. */
@NullMarked
package dev.ticketing.web.health;

import org.jspecify.annotations.NullMarked;
