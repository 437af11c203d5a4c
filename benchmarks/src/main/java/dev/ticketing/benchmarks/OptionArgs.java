package dev.ticketing.benchmarks;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/** How both benchmark programs read their options: {@code -Dbench.name=value} properties, then {@code name=value} arguments. */
final class OptionArgs {

    private OptionArgs() {
    }

    /**
     * The options given, arguments overriding properties.
     *
     * @param ignoredProperties {@code bench.*} properties that are not options of this program
     * @param usage appended to the message of a malformed argument
     */
    static Map<String, String> collect(String[] args, Properties systemProperties, Set<String> ignoredProperties,
            String usage) {
        Map<String, String> values = new LinkedHashMap<>();
        systemProperties.stringPropertyNames().stream()
                .filter(name -> name.startsWith("bench."))
                .map(name -> name.substring("bench.".length()))
                .filter(name -> !ignoredProperties.contains(name))
                .forEach(name -> values.put(name, systemProperties.getProperty("bench." + name)));
        for (String arg : args) {
            String plain = arg.startsWith("--") ? arg.substring(2) : arg;
            int equals = plain.indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException("Expected name=value, got '" + arg + "'\n" + usage);
            }
            values.put(plain.substring(0, equals), plain.substring(equals + 1));
        }
        return values;
    }

    /** Seconds, fractions allowed ("0.5"), so a smoke run can be short. */
    static Duration seconds(String value) {
        return Duration.ofMillis(Math.round(Double.parseDouble(value) * 1000));
    }
}
