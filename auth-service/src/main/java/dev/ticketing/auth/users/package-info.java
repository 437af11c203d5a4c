/** {@code /api/users}: sign up, sign in, sign out, the current user. */
@NullMarked
package dev.ticketing.auth.users;

import org.jspecify.annotations.NullMarked;
