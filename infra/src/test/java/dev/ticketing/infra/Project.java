package dev.ticketing.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import tools.jackson.databind.JsonNode;

/** The repository as the manifests see it: the Maven modules, and what each service module reads. */
final class Project {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(?::([^}]*))?}");

    private final Path root;

    Project(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** The repository root, found from the infra module's directory (where Maven runs its tests). */
    static Project locate() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path candidate = dir; candidate != null; candidate = candidate.getParent()) {
            if (Files.isRegularFile(candidate.resolve("skaffold.yaml"))
                    && Files.isDirectory(candidate.resolve("infra/k8s"))) {
                return new Project(candidate);
            }
        }
        throw new IllegalStateException("no skaffold.yaml with infra/k8s above " + dir);
    }

    Path root() {
        return root;
    }

    Path k8s() {
        return root.resolve("infra/k8s");
    }

    /** The {@code <module>} entries of the root pom. */
    List<String> modules() {
        return texts(pom(root.resolve("pom.xml")).getDocumentElement(), "modules", "module");
    }

    /**
     * The image name {@code jib:dockerBuild} gives a module: {@code to.image} of the Jib plugin in the root
     * pom's pluginManagement, with {@code ${project.artifactId}} filled in.
     */
    Optional<String> jibImage(Module module) {
        return jibConfiguration("to", "image")
                .map(image -> image.replace("${project.artifactId}", module.artifactId()));
    }

    /** A value of the Jib plugin's configuration in the root pom's pluginManagement. */
    Optional<String> jibConfiguration(String... path) {
        return pluginValues("jib-maven-plugin", prepend("configuration", path)).stream().findFirst();
    }

    /** The values at {@code path} under a plugin of the root pom's pluginManagement, in document order. */
    List<String> pluginValues(String artifactId, String... path) {
        Element root = pom(this.root.resolve("pom.xml")).getDocumentElement();
        for (Element plugins : children(root, "build").stream().flatMap(b -> children(b, "pluginManagement").stream())
                .flatMap(m -> children(m, "plugins").stream()).toList()) {
            for (Element plugin : children(plugins, "plugin")) {
                if (texts(plugin, "artifactId").equals(List.of(artifactId))) {
                    return texts(plugin, path);
                }
            }
        }
        return List.of();
    }

    /** The values at {@code path} under the root pom's project element: {@code ("properties", "x")}. */
    List<String> rootValues(String... path) {
        return texts(pom(root.resolve("pom.xml")).getDocumentElement(), path);
    }

    /** The values at {@code path} under the project element of module {@code name}'s pom. */
    List<String> moduleValues(String name, String... path) {
        return texts(pom(root.resolve(name).resolve("pom.xml")).getDocumentElement(), path);
    }

    /** {@code text} with each {@code ${name}} of the root pom's properties filled in. */
    String resolve(String text) {
        Matcher matcher = Pattern.compile("\\$\\{([^}]+)}").matcher(text);
        StringBuilder resolved = new StringBuilder();
        while (matcher.find()) {
            List<String> value = rootValues("properties", matcher.group(1));
            matcher.appendReplacement(resolved, Matcher.quoteReplacement(value.isEmpty() ? matcher.group() : value.getFirst()));
        }
        return matcher.appendTail(resolved).toString();
    }

    private static String[] prepend(String first, String... rest) {
        String[] full = new String[rest.length + 1];
        full[0] = first;
        System.arraycopy(rest, 0, full, 1, rest.length);
        return full;
    }

    /** The module in directory {@code name}, if it has a pom.xml. */
    Optional<Module> module(String name) {
        Path dir = root.resolve(name).normalize();
        if (!dir.startsWith(root) || !Files.isRegularFile(dir.resolve("pom.xml"))) {
            return Optional.empty();
        }
        Element pom = pom(dir.resolve("pom.xml")).getDocumentElement();
        Map<String, String> properties = new LinkedHashMap<>();
        for (Element holder : children(pom, "properties")) {
            for (Node node = holder.getFirstChild(); node != null; node = node.getNextSibling()) {
                if (node instanceof Element property) {
                    properties.put(property.getTagName(), property.getTextContent().trim());
                }
            }
        }
        List<String> plugins = children(pom, "build").stream().flatMap(b -> children(b, "plugins").stream())
                .flatMap(holder -> children(holder, "plugin").stream())
                .map(plugin -> texts(plugin, "artifactId").getFirst()).toList();
        List<String> dependencies = new ArrayList<>();
        for (Element holder : children(pom, "dependencies")) {
            for (Element dependency : children(holder, "dependency")) {
                dependencies.add(texts(dependency, "artifactId").getFirst());
            }
        }
        Path yml = dir.resolve("src/main/resources/application.yml");
        String applicationYml = Files.isRegularFile(yml) ? read(yml) : "";
        return Optional.of(new Module(name, texts(pom, "artifactId").getFirst(), properties, dependencies, plugins,
                applicationYml));
    }

    /** A Maven module: what the checks need of its pom ({@code plugins}: artifactIds under build/plugins) and its
     * application.yml. */
    record Module(String directory, String artifactId, Map<String, String> properties, List<String> dependencies,
            List<String> plugins, String applicationYml) {

        /** Environment variables named in {@code ${NAME}} or {@code ${NAME:default}} placeholders, with defaults. */
        Map<String, String> placeholders() {
            Map<String, String> placeholders = new LinkedHashMap<>();
            Matcher matcher = PLACEHOLDER.matcher(applicationYml);
            while (matcher.find()) {
                placeholders.put(matcher.group(1), matcher.group(2));
            }
            return placeholders;
        }

        /** application.yml's values by relaxed-binding key: {@code server.port} as {@code SERVERPORT}. */
        Map<String, String> settings() {
            Map<String, String> flat = new LinkedHashMap<>();
            if (!applicationYml.isBlank()) {
                flatten("", Kustomize.YAML.readTree(applicationYml), flat);
            }
            return flat;
        }

        private static void flatten(String prefix, JsonNode node, Map<String, String> flat) {
            if (node.isObject()) {
                node.properties().forEach(entry -> flatten(prefix + entry.getKey() + ".", entry.getValue(), flat));
            } else if (node.isValueNode()) {
                String key = prefix.substring(0, prefix.length() - 1);
                flat.put(key.replace(".", "").replace("-", "").toUpperCase(), node.asString());
            }
        }
    }

    /**
     * The environment variables a service module reads, derived from what it depends on, so that a new
     * service needs no change here. Each rule says where the variables are read:
     * <ul>
     * <li>every service: {@code JAVA_TOOL_OPTIONS} (the JVM), {@code SERVER_PORT} ({@code server.port} in each
     * application.yml), {@code LOGGING_STRUCTURED_FORMAT_CONSOLE} (Boot's JSON logs, in the service READMEs);</li>
     * <li>spring-boot-starter-data-mongodb: {@code SPRING_MONGODB_URI}, Boot 4's {@code spring.mongodb.uri}
     * (the old {@code SPRING_DATA_MONGODB_URI} is silently ignored: the service would dial localhost);</li>
     * <li>web-support: {@code JWT_KEY} (JwtKeyFromEnvironment), and {@code TICKETING_SECURITY_*},
     * {@code TICKETING_WEB_*} (SessionProperties, WebProperties), e.g. {@code TICKETING_SECURITY_COOKIESECURE};</li>
     * <li>common-events: {@code NATS_URL} and {@code POD_NAME} (EventBusEnvironmentPostProcessor), and
     * {@code TICKETING_NATS_*}, {@code TICKETING_OUTBOX_*} (EventBusSettings, OutboxSettings);</li>
     * <li>stripe-java: {@code STRIPE_KEY}, the key a service gives Stripe's client (payments-service: set, the
     * Stripe provider; unset or blank, the sandbox);</li>
     * <li>the service's own settings: {@code TICKETING_<NAME>_*} for module {@code <name>-service}
     * (AuthProperties {@code ticketing.auth}, OrdersSettings {@code ticketing.orders}, {@code ticketing.payments}),
     * or for module {@code <name>} otherwise ({@code ticketing.client}, ClientSettings);</li>
     * <li>every {@code ${NAME}} placeholder in its application.yml ({@code ORDER_EXPIRATION} in orders-service).</li>
     * </ul>
     */
    static Environment environment(Module module) {
        Set<String> names = new LinkedHashSet<>(List.of("JAVA_TOOL_OPTIONS", "SERVER_PORT",
                "LOGGING_STRUCTURED_FORMAT_CONSOLE"));
        Set<String> prefixes = new LinkedHashSet<>();
        if (module.dependencies().contains("spring-boot-starter-data-mongodb")) {
            names.add("SPRING_MONGODB_URI");
        }
        if (module.dependencies().contains("web-support")) {
            names.add("JWT_KEY");
            prefixes.addAll(List.of("TICKETING_SECURITY_", "TICKETING_WEB_"));
        }
        if (module.dependencies().contains("common-events")) {
            names.addAll(List.of("NATS_URL", "POD_NAME"));
            prefixes.addAll(List.of("TICKETING_NATS_", "TICKETING_OUTBOX_"));
        }
        if (module.dependencies().contains("stripe-java")) {
            names.add("STRIPE_KEY");
        }
        String own = module.directory().endsWith("-service")
                ? module.directory().substring(0, module.directory().length() - "-service".length())
                : module.directory();
        prefixes.add("TICKETING_" + own.toUpperCase().replace("-", "_") + "_");
        names.addAll(module.placeholders().keySet());
        return new Environment(names, prefixes);
    }

    /**
     * Defaults the services already have that application.yml does not show: setting one of these to its
     * default hard-codes it twice. (Defaults in application.yml, including {@code ${NAME:default}}
     * placeholders, are read from the file.)
     */
    static final Map<String, String> CODE_DEFAULTS = Map.of(
            "TICKETING_SECURITY_COOKIESECURE", "true", // SessionProperties
            "NATS_URL", "nats://localhost:4222"); // EventBusEnvironmentPostProcessor

    record Environment(Set<String> names, Set<String> prefixes) {
        boolean reads(String name) {
            return names.contains(name) || prefixes.stream().anyMatch(name::startsWith);
        }
    }

    // XML ---------------------------------------------------------------------------------------------------

    private static org.w3c.dom.Document pom(Path file) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return factory.newDocumentBuilder().parse(file.toFile());
        } catch (Exception e) {
            throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static List<Element> children(Element parent, String tag) {
        List<Element> children = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i) instanceof Element element && element.getTagName().equals(tag)) {
                children.add(element);
            }
        }
        return children;
    }

    private static List<String> texts(Element parent, String... path) {
        List<Element> current = List.of(parent);
        for (String tag : path) {
            current = current.stream().flatMap(element -> children(element, tag).stream()).toList();
        }
        return current.stream().map(element -> element.getTextContent().trim()).toList();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
