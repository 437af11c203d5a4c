package dev.ticketing.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Renders a kustomization the way {@code kubectl kustomize} does, for exactly the features infra/k8s uses, so
 * the manifests can be checked where no kubectl exists. Any other kustomization field fails the build with
 * its name: extend this class (and its comparison with kubectl, {@code KubernetesManifestsTests}) before
 * using it.
 *
 * <p>Supported: {@code resources} (files and directories), {@code components}, {@code namePrefix},
 * {@code labels} (with {@code includeSelectors} / {@code includeTemplates}), {@code patches} (JSON 6902 lists,
 * and the strategic-merge {@code $patch: delete} of a whole object) with {@code target} by kind, name
 * (a regular expression) and labelSelector, {@code replicas}, {@code configMapGenerator} from files and
 * {@code secretGenerator} from literals (with kustomize's content-hash name suffix, {@code options.labels},
 * and {@code behavior: merge} or {@code replace} of a generated object from further up), and the name
 * references that follow renamed Services, ConfigMaps and Secrets. The order is kustomize's
 * (api/internal/target/kusttarget.go): resources, generators, components, then the transformers patches,
 * name prefix, labels and replicas; once the whole tree is built, hash suffixes, then back references.
 */
final class Kustomize {

    static final YAMLMapper YAML = YAMLMapper.builder().build();
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Set<String> KUSTOMIZATION_FIELDS = Set.of("apiVersion", "kind", "resources", "components",
            "namePrefix", "labels", "patches", "replicas", "configMapGenerator", "secretGenerator");
    private static final List<String> POD_SPEC_PATHS = List.of("spec/template/spec",
            "spec/jobTemplate/spec/template/spec", "spec");
    private static final Set<String> POD_TEMPLATE_KINDS = Set.of("Deployment", "StatefulSet", "DaemonSet",
            "ReplicaSet", "Job");

    private Kustomize() {
    }

    /** The objects {@code kubectl kustomize dir} prints, in no particular order. */
    static List<ObjectNode> build(Path dir) {
        List<Resource> resources = new ArrayList<>();
        accumulate(dir.toAbsolutePath().normalize(), "Kustomization", resources);
        for (Resource resource : resources) {
            if (resource.generated()) {
                resource.rename(resource.name() + "-" + contentHash(resource.object()));
            }
        }
        fixNameReferences(resources);
        return resources.stream().map(Resource::object).toList();
    }

    /**
     * One object, the names it had before a prefix or hash renamed it, and the prefixes it got (kustomize's
     * name history, which decides where a reference to an old name points).
     */
    private record Resource(ObjectNode object, List<String> previousNames, List<String> prefixes,
            boolean generated) {

        Resource(ObjectNode object, boolean generated) {
            this(object, new ArrayList<>(), new ArrayList<>(), generated);
        }

        String kind() {
            return object.path("kind").asString();
        }

        String name() {
            return object.path("metadata").path("name").asString();
        }

        void rename(String newName) {
            previousNames.add(name());
            ((ObjectNode) object.get("metadata")).put("name", newName);
        }
    }

    private static void accumulate(Path dir, String expectedKind, List<Resource> resources) {
        Path file = dir.resolve("kustomization.yaml");
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(dir + " has no kustomization.yaml");
        }
        JsonNode kustomization = readSingle(file);
        for (String field : kustomization.propertyNames()) {
            if (!KUSTOMIZATION_FIELDS.contains(field)) {
                throw new IllegalArgumentException(file + ": '" + field
                        + "' is not supported by the test's kustomize renderer (Kustomize.java)");
            }
        }
        String kind = kustomization.path("kind").asString("Kustomization");
        if (!kind.equals(expectedKind)) {
            throw new IllegalArgumentException(file + " is a " + kind + ", used here as a " + expectedKind);
        }
        // A component works on what its parent has accumulated so far; a kustomization on its own resources.
        List<Resource> scope = kind.equals("Component") ? resources : new ArrayList<>();
        for (JsonNode entry : kustomization.path("resources")) {
            Path path = dir.resolve(entry.asString()).normalize();
            if (Files.isDirectory(path)) {
                accumulate(path, "Kustomization", scope);
            } else if (!path.startsWith(dir)) {
                throw new IllegalArgumentException(file + ": kustomize refuses the file " + entry.asString()
                        + " outside the kustomization's directory");
            } else {
                for (ObjectNode object : readAll(path)) {
                    scope.add(new Resource(object, false));
                }
            }
        }
        for (JsonNode generator : kustomization.path("configMapGenerator")) {
            generate(generated("ConfigMap", generator, dir), generator, scope);
        }
        for (JsonNode generator : kustomization.path("secretGenerator")) {
            generate(generated("Secret", generator, dir), generator, scope);
        }
        for (JsonNode entry : kustomization.path("components")) {
            accumulate(dir.resolve(entry.asString()).normalize(), "Component", scope);
        }
        for (JsonNode patch : kustomization.path("patches")) {
            applyPatch(patch, dir, scope);
        }
        String prefix = kustomization.path("namePrefix").asString("");
        if (!prefix.isEmpty()) {
            for (Resource resource : scope) {
                resource.rename(prefix + resource.name());
                resource.prefixes().add(prefix);
            }
        }
        for (JsonNode labels : kustomization.path("labels")) {
            applyLabels(labels, scope);
        }
        for (JsonNode replicas : kustomization.path("replicas")) {
            applyReplicas(replicas, scope);
        }
        if (scope != resources) {
            resources.addAll(scope);
        }
    }

    // Generators --------------------------------------------------------------------------------------------

    private static Resource generated(String kind, JsonNode generator, Path dir) {
        for (String field : generator.propertyNames()) {
            if (!Set.of("name", "behavior", "files", "literals", "options").contains(field)) {
                throw new IllegalArgumentException(kind + " generator field '" + field + "' is not supported");
            }
        }
        for (String option : generator.path("options").propertyNames()) {
            if (!option.equals("labels")) {
                throw new IllegalArgumentException(kind + " generator option '" + option + "' is not supported");
            }
        }
        Map<String, String> data = new TreeMap<>();
        for (JsonNode entry : generator.path("files")) {
            if (entry.asString().contains("=")) {
                throw new IllegalArgumentException("generator files as key=path are not supported: " + entry);
            }
            Path path = dir.resolve(entry.asString());
            data.put(path.getFileName().toString(), readString(path));
        }
        for (JsonNode entry : generator.path("literals")) {
            String literal = entry.asString();
            int equals = literal.indexOf('=');
            data.put(literal.substring(0, equals), literal.substring(equals + 1));
        }
        String name = generator.required("name").asString();
        ObjectNode object = JsonNodeFactory.instance.objectNode();
        object.put("apiVersion", "v1").put("kind", kind);
        ObjectNode metadata = object.putObject("metadata").put("name", name);
        if (generator.path("options").has("labels")) {
            metadata.set("labels", generator.path("options").get("labels").deepCopy());
        }
        ObjectNode values = object.putObject("data");
        data.forEach((key, value) -> values.put(key, kind.equals("Secret") ? kustomizeBase64(value) : value));
        if (kind.equals("Secret")) {
            object.put("type", "Opaque");
        }
        return new Resource(object, true);
    }

    /**
     * Adds a generated object to the scope, or with {@code behavior: merge} / {@code replace} folds it into the
     * object of that kind and name generated further up (a base's ConfigMap, extended by a component).
     */
    private static void generate(Resource generated, JsonNode generator, List<Resource> scope) {
        String behavior = generator.path("behavior").asString("create");
        if (behavior.equals("create")) {
            scope.add(generated);
            return;
        }
        if (!Set.of("merge", "replace").contains(behavior)) {
            throw new IllegalArgumentException("generator behavior '" + behavior + "' is not supported");
        }
        Resource existing = scope.stream()
                .filter(r -> r.generated() && r.kind().equals(generated.kind()) && r.name().equals(generated.name()))
                .findFirst().orElseThrow(() -> new IllegalArgumentException(generated.kind() + " " + generated.name()
                        + ": nothing generated further up to " + behavior + " with"));
        ObjectNode target = existing.object();
        ObjectNode source = generated.object();
        if (behavior.equals("replace")) {
            target.set("data", source.get("data"));
        } else {
            ((ObjectNode) target.get("data")).setAll((ObjectNode) source.get("data"));
        }
        if (source.path("metadata").has("labels")) {
            child(target, "metadata", "labels").setAll((ObjectNode) source.at("/metadata/labels"));
        }
    }

    /** Base64 as kustomize writes it into a generated Secret: lines of 70, each ending in a newline if wrapped. */
    static String kustomizeBase64(String value) {
        String encoded = Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
        int lines = encoded.length() / 70 + 1;
        if (lines == 1) {
            return encoded;
        }
        StringBuilder wrapped = new StringBuilder();
        for (int i = 0; i < encoded.length(); i += 70) {
            wrapped.append(encoded, i, Math.min(i + 70, encoded.length())).append('\n');
        }
        return wrapped.toString();
    }

    /**
     * kustomize's name suffix (api/hasher): the first 10 hex digits of the sha256 of Go's JSON of kind, name,
     * data (and a Secret's type), with five digits swapped for letters. The name hashed is always empty:
     * kustomize looks it up as the single field "metadata/name", which no object has.
     */
    static String contentHash(ObjectNode object) {
        Map<String, Object> fields = new TreeMap<>();
        fields.put("kind", object.path("kind").asString());
        fields.put("name", "");
        fields.put("data", new TreeMap<>(JSON.convertValue(object.path("data"), Map.class)));
        if (object.has("type")) {
            fields.put("type", object.path("type").asString());
        }
        // Go's encoding/json escapes these three; the JSON is otherwise the same.
        String json = JSON.writeValueAsString(fields)
                .replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026");
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(json.getBytes(StandardCharsets.UTF_8));
            char[] hash = HexFormat.of().formatHex(digest).substring(0, 10).toCharArray();
            for (int i = 0; i < hash.length; i++) {
                hash[i] = switch (hash[i]) {
                    case '0' -> 'g';
                    case '1' -> 'h';
                    case '3' -> 'k';
                    case 'a' -> 'm';
                    case 'e' -> 't';
                    default -> hash[i];
                };
            }
            return new String(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // Patches -----------------------------------------------------------------------------------------------

    private static void applyPatch(JsonNode entry, Path dir, List<Resource> scope) {
        for (String field : entry.propertyNames()) {
            if (!Set.of("path", "patch", "target").contains(field)) {
                throw new IllegalArgumentException("patches field '" + field + "' is not supported");
            }
        }
        JsonNode patch = entry.has("path") ? readSingle(dir.resolve(entry.get("path").asString()))
                : YAML.readTree(entry.required("patch").asString());
        if (patch.isArray()) {
            JsonNode target = entry.required("target");
            List<Resource> matched = scope.stream().filter(resource -> matches(target, resource)).toList();
            if (matched.isEmpty()) {
                throw new IllegalArgumentException("patch target " + target + " matches nothing");
            }
            matched.forEach(resource -> JsonPatch.apply(patch, resource.object()));
        } else if (patch.path("$patch").asString().equals("delete")) {
            JsonNode target = entry.has("target") ? entry.get("target") : JsonNodeFactory.instance.objectNode()
                    .put("kind", patch.path("kind").asString())
                    .put("name", Pattern.quote(patch.path("metadata").path("name").asString()));
            if (!scope.removeIf(resource -> matches(target, resource))) {
                throw new IllegalArgumentException("delete patch " + target + " matches nothing");
            }
        } else {
            throw new IllegalArgumentException("strategic merge patches other than '$patch: delete' are not "
                    + "supported by the test's kustomize renderer; use a JSON 6902 patch");
        }
    }

    private static boolean matches(JsonNode target, Resource resource) {
        for (String field : target.propertyNames()) {
            String wanted = target.get(field).asString();
            boolean matches = switch (field) {
                case "kind" -> resource.kind().equals(wanted);
                case "name" -> Pattern.matches(wanted, resource.name());
                case "labelSelector" -> {
                    JsonNode labels = resource.object().path("metadata").path("labels");
                    boolean all = true;
                    for (String requirement : wanted.split(",")) {
                        String[] pair = requirement.trim().split("=", 2);
                        all &= pair.length == 2 && labels.path(pair[0]).asString("\0").equals(pair[1]);
                    }
                    yield all;
                }
                default -> throw new IllegalArgumentException("patch target field '" + field + "' is not supported");
            };
            if (!matches) {
                return false;
            }
        }
        return true;
    }

    // Labels ------------------------------------------------------------------------------------------------

    private static void applyLabels(JsonNode entry, List<Resource> scope) {
        for (String field : entry.propertyNames()) {
            if (!Set.of("pairs", "includeSelectors", "includeTemplates").contains(field)) {
                throw new IllegalArgumentException("labels field '" + field + "' is not supported");
            }
        }
        boolean selectors = entry.path("includeSelectors").asBoolean(false);
        boolean templates = selectors || entry.path("includeTemplates").asBoolean(false);
        for (Resource resource : scope) {
            ObjectNode object = resource.object();
            List<ObjectNode> targets = new ArrayList<>();
            targets.add(child(object, "metadata", "labels"));
            if (POD_TEMPLATE_KINDS.contains(resource.kind())) {
                if (templates) {
                    targets.add(child(object, "spec", "template", "metadata", "labels"));
                    for (JsonNode claim : object.path("spec").path("volumeClaimTemplates")) {
                        targets.add(child((ObjectNode) claim, "metadata", "labels"));
                    }
                }
                if (selectors) {
                    targets.add(child(object, "spec", "selector", "matchLabels"));
                }
            }
            if (selectors && resource.kind().equals("Service")) {
                targets.add(child(object, "spec", "selector"));
            }
            for (ObjectNode labels : targets) {
                entry.required("pairs").properties().forEach(pair -> labels.set(pair.getKey(), pair.getValue()));
            }
        }
    }

    // Replicas ----------------------------------------------------------------------------------------------

    private static void applyReplicas(JsonNode entry, List<Resource> scope) {
        for (String field : entry.propertyNames()) {
            if (!Set.of("name", "count").contains(field)) {
                throw new IllegalArgumentException("replicas field '" + field + "' is not supported");
            }
        }
        String name = entry.required("name").asString();
        List<Resource> matched = scope.stream()
                .filter(r -> Set.of("Deployment", "StatefulSet", "ReplicaSet").contains(r.kind()))
                .filter(r -> r.name().equals(name) || r.previousNames().contains(name)).toList();
        if (matched.isEmpty()) {
            throw new IllegalArgumentException("replicas: no Deployment, StatefulSet or ReplicaSet named " + name);
        }
        matched.forEach(r -> child(r.object(), "spec").set("replicas", entry.required("count")));
    }

    private static ObjectNode child(ObjectNode node, String... path) {
        ObjectNode current = node;
        for (String name : path) {
            current = current.has(name) ? (ObjectNode) current.get(name) : current.putObject(name);
        }
        return current;
    }

    // Name references ---------------------------------------------------------------------------------------

    /** Where an object names another: the holder of the name, its field, and the kind it names. */
    @FunctionalInterface
    private interface References {
        void to(String kind, JsonNode holder, String field);
    }

    /** Points references at the current names of renamed objects, as kustomize's nameReference does. */
    private static void fixNameReferences(List<Resource> resources) {
        for (Resource resource : resources) {
            ObjectNode object = resource.object();
            References references = (kind, holder, field) -> rename(holder, field, kind, resource, resources);
            JsonNode spec = object.path("spec");
            if (resource.kind().equals("StatefulSet")) {
                references.to("Service", spec, "serviceName");
            }
            if (resource.kind().equals("Ingress")) {
                for (JsonNode rule : spec.path("rules")) {
                    for (JsonNode path : rule.path("http").path("paths")) {
                        references.to("Service", path.path("backend").path("service"), "name");
                    }
                }
                references.to("Service", spec.path("defaultBackend").path("service"), "name");
                spec.path("tls").forEach(tls -> references.to("Secret", tls, "secretName"));
            }
            JsonNode pod = POD_SPEC_PATHS.stream().map(path -> object.at("/" + path))
                    .filter(candidate -> candidate.has("containers")).findFirst().orElse(null);
            if (pod == null) {
                continue;
            }
            for (JsonNode volume : pod.path("volumes")) {
                references.to("ConfigMap", volume.path("configMap"), "name");
                references.to("Secret", volume.path("secret"), "secretName");
            }
            pod.path("imagePullSecrets").forEach(pullSecret -> references.to("Secret", pullSecret, "name"));
            for (String containers : List.of("initContainers", "containers")) {
                for (JsonNode container : pod.path(containers)) {
                    for (JsonNode env : container.path("env")) {
                        references.to("ConfigMap", env.path("valueFrom").path("configMapKeyRef"), "name");
                        references.to("Secret", env.path("valueFrom").path("secretKeyRef"), "name");
                    }
                    for (JsonNode envFrom : container.path("envFrom")) {
                        references.to("ConfigMap", envFrom.path("configMapRef"), "name");
                        references.to("Secret", envFrom.path("secretRef"), "name");
                    }
                }
            }
        }
    }

    private static void rename(JsonNode holder, String field, String kind, Resource referrer,
            List<Resource> resources) {
        if (!(holder instanceof ObjectNode object) || !object.has(field)) {
            return;
        }
        String name = object.get(field).asString();
        List<Resource> candidates = resources.stream()
                .filter(r -> r.kind().equals(kind) && r.previousNames().contains(name)).toList();
        // Several renamed objects had that name (three MongoDBs were all "mongo"): prefer the one renamed with
        // the same prefixes as the referrer, as kustomize's selectReferral does.
        for (boolean allowEmpty : new boolean[] {true, false}) {
            if (candidates.size() > 1) {
                candidates = candidates.stream()
                        .filter(r -> sameEnding(r.prefixes(), referrer.prefixes(), allowEmpty)).toList();
            }
        }
        if (candidates.size() > 1) {
            throw new IllegalArgumentException(kind + " " + name + " referred to by " + key(referrer.object())
                    + " is ambiguous: " + candidates.stream().map(Resource::name).toList());
        }
        if (candidates.size() == 1) {
            object.put(field, candidates.getFirst().name());
        }
    }

    /** kustomize's SameEndingSubSlice, with its allowance for a side that has no prefix at all. */
    private static boolean sameEnding(List<String> a, List<String> b, boolean allowEmpty) {
        if (allowEmpty && (a.isEmpty() || b.isEmpty())) {
            return true;
        }
        List<String> shorter = a.size() <= b.size() ? a : b;
        List<String> longer = a.size() <= b.size() ? b : a;
        if (shorter.isEmpty()) {
            return longer.isEmpty();
        }
        return longer.subList(longer.size() - shorter.size(), longer.size()).equals(shorter);
    }

    // Files -------------------------------------------------------------------------------------------------

    static List<ObjectNode> readAll(Path file) {
        try (var documents = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
            List<ObjectNode> objects = new ArrayList<>();
            while (documents.hasNextValue()) {
                JsonNode document = (JsonNode) documents.nextValue();
                if (document instanceof ObjectNode object) {
                    objects.add(object);
                } else if (document != null && !document.isMissingNode() && !document.isNull()) {
                    throw new IllegalArgumentException(file + ": a document that is not an object: " + document);
                }
            }
            return objects;
        }
    }

    private static JsonNode readSingle(Path file) {
        return YAML.readTree(readString(file));
    }

    private static String readString(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** kubectl's output (or any multi-document YAML) keyed like {@link #key}. */
    static Map<String, ObjectNode> byKey(List<ObjectNode> objects) {
        Map<String, ObjectNode> keyed = new LinkedHashMap<>();
        for (ObjectNode object : objects) {
            if (keyed.put(key(object), object) != null) {
                throw new IllegalArgumentException("two objects named " + key(object));
            }
        }
        return keyed;
    }

    static String key(JsonNode object) {
        return object.path("kind").asString() + "/" + object.path("metadata").path("name").asString();
    }

    static List<ObjectNode> parseAll(String yaml) {
        try (var documents = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            List<ObjectNode> objects = new ArrayList<>();
            while (documents.hasNextValue()) {
                if (documents.nextValue() instanceof ObjectNode object) {
                    objects.add(object);
                }
            }
            return objects;
        }
    }

    static ArrayNode copyOf(List<ObjectNode> objects) {
        ArrayNode copy = JsonNodeFactory.instance.arrayNode();
        objects.forEach(object -> copy.add(object.deepCopy()));
        return copy;
    }
}
