package dev.ticketing.tickets;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PricesTests {

    @ParameterizedTest
    @CsvSource({"10, 10", "10.50, 10.5", "0.01, 0.01", "1000000, 1000000", "1000000.00, 1000000", " 7 , 7", "020, 20"})
    void acceptsDecimalsWithAtMostTwoPlaces(String text, String expected) {
        assertThat(Prices.parse(text)).hasValueSatisfying(price -> {
            assertThat(price).isEqualByComparingTo(expected);
            assertThat(price.toString()).isEqualTo(expected);
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-0", "-1", "0.001", "1000000.01", "abc", "NaN", "Infinity", "1e3", "1E309", "0x10",
            "+5", "", " ", "10.", ".5", "1,5", "99999999999999999"})
    void rejectsEverythingElse(String text) {
        assertThat(Prices.parse(text)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"1E+1, 10", "10.500, 10.5", "100, 100"})
    void normalizesToOnePlainSpelling(String given, String expected) {
        assertThat(Prices.normalized(new BigDecimal(given)).toString()).isEqualTo(expected);
    }
}
