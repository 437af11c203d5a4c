/** Problem-document errors: every failure rendered as the contract's ProblemDetail with its errors array. */
@NullMarked
package dev.ticketing.web.errors;

import org.jspecify.annotations.NullMarked;
