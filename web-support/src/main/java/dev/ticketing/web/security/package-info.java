/** Session-cookie JWT security and the current user. */
@NullMarked
package dev.ticketing.web.security;

import org.jspecify.annotations.NullMarked;
