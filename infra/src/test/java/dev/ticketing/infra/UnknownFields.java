package dev.ticketing.infra;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Finds the fields fabric8 did not recognise. Its model classes keep whatever they do not know (a typo such as
 * {@code readinesProbe}, a field at the wrong level) in {@code additionalProperties} instead of failing, so every
 * object is walked and every non-empty one reported with its path.
 */
final class UnknownFields {

    private UnknownFields() {
    }

    static List<String> in(Object object) {
        List<String> found = new ArrayList<>();
        walk(object, "", found);
        return found;
    }

    private static void walk(Object value, String path, List<String> found) {
        switch (value) {
            case null -> {
            }
            case Collection<?> items -> {
                int index = 0;
                for (Object item : items) {
                    walk(item, path + "[" + index++ + "]", found);
                }
            }
            case Map<?, ?> map -> map.forEach((key, item) -> walk(item, path + "[" + key + "]", found));
            default -> {
                if (value.getClass().getName().startsWith("io.fabric8.")) {
                    walkModel(value, path, found);
                }
            }
        }
    }

    private static void walkModel(Object model, String path, List<String> found) {
        for (Class<?> type = model.getClass(); type != null && type != Object.class; type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers())) {
                    continue;
                }
                field.setAccessible(true);
                Object value;
                try {
                    value = field.get(model);
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
                if (field.getName().equals("additionalProperties")) {
                    if (value instanceof Map<?, ?> unknown && !unknown.isEmpty()) {
                        found.add((path.isEmpty() ? "" : path.substring(1) + ": ") + "unknown field(s) "
                                + unknown.keySet());
                    }
                } else {
                    walk(value, path + "." + jsonName(field), found);
                }
            }
        }
    }

    private static String jsonName(Field field) {
        JsonProperty property = field.getAnnotation(JsonProperty.class);
        return property != null && !property.value().isEmpty() ? property.value() : field.getName();
    }
}
