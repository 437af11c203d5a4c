/** The auth service: accounts and the session cookie. */
@NullMarked
package dev.ticketing.auth;

import org.jspecify.annotations.NullMarked;
