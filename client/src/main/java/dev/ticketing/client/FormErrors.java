package dev.ticketing.client;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The API's {@code errors}, for a form: by field (shown next to it), and the rest (shown above the form). */
record FormErrors(Map<String, String> fields, List<String> general) {

    static final FormErrors NONE = new FormErrors(Map.of(), List.of());

    static FormErrors of(ApiRefused refused) {
        Map<String, String> fields = new LinkedHashMap<>();
        List<String> general = new ArrayList<>();
        for (ApiRefused.Error error : refused.errors()) {
            if (error.field() == null) {
                general.add(error.message());
            } else {
                fields.merge(error.field(), error.message(), (first, next) -> first + " " + next);
            }
        }
        return new FormErrors(Map.copyOf(fields), List.copyOf(general));
    }

    /** Public: the templates call it, and SpEL sees only public methods. */
    public @Nullable String field(String name) {
        return fields.get(name);
    }
}
