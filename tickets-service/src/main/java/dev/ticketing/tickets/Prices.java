package dev.ticketing.tickets;

import java.math.BigDecimal;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The price rule: a decimal number, given as a JSON number or a numeric string, greater than 0, at most
 * 1,000,000, with at most two decimals. Parsed exactly (no binary floating point on the way).
 */
final class Prices {

    static final BigDecimal MAX = new BigDecimal("1000000");
    // Plain decimal notation only: no exponents, no NaN or Infinity, no hex, no leading '+'.
    private static final Pattern DECIMAL = Pattern.compile("-?\\d{1,16}(\\.\\d{1,16})?");

    private Prices() {
    }

    static Optional<BigDecimal> parse(String text) {
        String trimmed = text.strip();
        if (!DECIMAL.matcher(trimmed).matches()) {
            return Optional.empty();
        }
        BigDecimal price = new BigDecimal(trimmed);
        if (price.signum() <= 0 || price.compareTo(MAX) > 0 || price.stripTrailingZeros().scale() > 2) {
            return Optional.empty();
        }
        return Optional.of(normalized(price));
    }

    /** {@code 10.50} becomes {@code 10.5} and {@code 1E+1} becomes {@code 10}: one spelling per amount. */
    static BigDecimal normalized(BigDecimal price) {
        BigDecimal stripped = price.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }
}
