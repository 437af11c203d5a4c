package dev.ticketing.infra;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * RFC 6902 JSON Patch, the operations kustomize's {@code patches} and skaffold's profile {@code patches} use:
 * add, remove, replace and test. Anything else is refused rather than guessed.
 */
final class JsonPatch {

    private JsonPatch() {
    }

    /** Applies {@code operations} (a JSON array of operations) to {@code target} in place. */
    static void apply(JsonNode operations, JsonNode target) {
        if (!operations.isArray()) {
            throw new IllegalArgumentException("a JSON patch is a list of operations, not " + operations.getNodeType());
        }
        for (JsonNode operation : operations) {
            String op = operation.path("op").asString();
            String path = operation.path("path").asString();
            List<String> tokens = tokens(path);
            if (tokens.isEmpty()) {
                throw new IllegalArgumentException("patching the whole document is not supported: " + operation);
            }
            JsonNode parent = resolve(target, tokens.subList(0, tokens.size() - 1), path);
            String last = tokens.getLast();
            switch (op) {
                case "add" -> add(parent, last, operation.required("value").deepCopy(), path);
                case "remove" -> remove(parent, last, path);
                case "replace" -> {
                    remove(parent, last, path);
                    add(parent, last, operation.required("value").deepCopy(), path);
                }
                case "test" -> {
                    JsonNode actual = resolve(target, tokens, path);
                    if (!actual.equals(operation.required("value"))) {
                        throw new IllegalStateException("JSON patch test failed at " + path + ": " + actual);
                    }
                }
                default -> throw new IllegalArgumentException("JSON patch operation '" + op + "' is not supported");
            }
        }
    }

    private static void add(JsonNode parent, String token, JsonNode value, String path) {
        if (parent instanceof ObjectNode object) {
            object.set(token, value);
        } else if (parent instanceof ArrayNode array) {
            if (token.equals("-")) {
                array.add(value);
            } else {
                int index = index(token, array.size() + 1, path);
                array.insert(index, value);
            }
        } else {
            throw new IllegalArgumentException("JSON patch path " + path + " does not lead into an object or a list");
        }
    }

    private static void remove(JsonNode parent, String token, String path) {
        if (parent instanceof ObjectNode object && object.has(token)) {
            object.remove(token);
        } else if (parent instanceof ArrayNode array) {
            array.remove(index(token, array.size(), path));
        } else {
            throw new IllegalArgumentException("JSON patch path " + path + " names nothing to remove or replace");
        }
    }

    private static JsonNode resolve(JsonNode root, List<String> tokens, String path) {
        JsonNode node = root;
        for (String token : tokens) {
            JsonNode next = node.isArray() ? node.get(index(token, node.size(), path)) : node.get(token);
            if (next == null) {
                throw new IllegalArgumentException("JSON patch path " + path + " does not exist (at '" + token + "')");
            }
            node = next;
        }
        return node;
    }

    private static int index(String token, int size, String path) {
        try {
            int index = Integer.parseInt(token);
            if (index >= 0 && index < size) {
                return index;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("JSON patch path " + path + ": '" + token + "' is not a list index here");
    }

    private static List<String> tokens(String pointer) {
        if (pointer.isEmpty()) {
            return List.of();
        }
        if (!pointer.startsWith("/")) {
            throw new IllegalArgumentException("a JSON pointer starts with '/': " + pointer);
        }
        List<String> tokens = new ArrayList<>();
        for (String raw : pointer.substring(1).split("/", -1)) {
            tokens.add(raw.replace("~1", "/").replace("~0", "~"));
        }
        return tokens;
    }
}
