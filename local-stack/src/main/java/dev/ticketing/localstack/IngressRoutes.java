package dev.ticketing.localstack;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * The edge's routing table, read from the Kubernetes {@code Ingress} under {@code infra/k8s} so that the
 * local edge and the cluster's ingress cannot drift apart. Matching follows the Ingress specification:
 * {@code Prefix} matches whole path elements ({@code /api/users} matches {@code /api/users/signup}, not
 * {@code /api/usersx}), {@code Exact} the whole path; the longest path wins, and {@code Exact} beats
 * {@code Prefix} on a tie. {@code ImplementationSpecific} is taken as {@code Prefix}, as Traefik does.
 * Hosts are ignored: locally everything is served on one host.
 */
final class IngressRoutes {

    enum PathType { EXACT, PREFIX }

    /** One path of the Ingress: {@code path} of {@code type} goes to the Service {@code service}. */
    record Route(String path, PathType type, String service, Path source) {

        boolean matches(String requestPath) {
            if (type == PathType.EXACT) {
                return requestPath.equals(path);
            }
            String prefix = trimTrailingSlash(path);
            if (prefix.isEmpty()) {
                return true;
            }
            return requestPath.equals(prefix) || requestPath.startsWith(prefix + "/");
        }

        @Override
        public String toString() {
            return path + (type == PathType.EXACT ? " (exact)" : "") + " -> " + service;
        }
    }

    private final List<Route> routes;

    private IngressRoutes(List<Route> routes) {
        this.routes = routes;
    }

    static IngressRoutes of(List<Route> routes) {
        List<Route> ordered = new ArrayList<>(routes);
        ordered.sort(Comparator.comparingInt((Route route) -> trimTrailingSlash(route.path()).length()).reversed()
                .thenComparing(route -> route.type() == PathType.EXACT ? 0 : 1));
        return new IngressRoutes(List.copyOf(ordered));
    }

    List<Route> routes() {
        return routes;
    }

    Optional<Route> match(String requestPath) {
        return routes.stream().filter(route -> route.matches(requestPath)).findFirst();
    }

    /** Every {@code kind: Ingress} document in the YAML files under {@code manifests}, merged. */
    static IngressRoutes read(Path manifests) {
        if (!Files.isDirectory(manifests)) {
            throw new LocalStackException("Cannot read the edge's routes: " + manifests + " does not exist. The local "
                    + "edge routes exactly like the Kubernetes Ingress, so it needs the Ingress manifest under infra/k8s.");
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(manifests)) {
            files = walk.filter(Files::isRegularFile)
                    .filter(file -> {
                        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
                        return name.endsWith(".yaml") || name.endsWith(".yml");
                    })
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + manifests, e);
        }
        Map<String, Route> byPath = new LinkedHashMap<>();
        int ingresses = 0;
        for (Path file : files) {
            for (Map<?, ?> document : documents(file)) {
                if (!"Ingress".equals(document.get("kind"))) {
                    continue;
                }
                ingresses++;
                for (Route route : routesOf(document, file)) {
                    String key = route.type() + " " + route.path();
                    Route earlier = byPath.putIfAbsent(key, route);
                    if (earlier != null && !earlier.service().equals(route.service())) {
                        throw new LocalStackException("The Ingress manifests disagree: " + route.path() + " goes to "
                                + earlier.service() + " in " + earlier.source() + " but to " + route.service()
                                + " in " + route.source());
                    }
                }
            }
        }
        if (ingresses == 0) {
            throw new LocalStackException("Cannot read the edge's routes: no document with 'kind: Ingress' in the "
                    + files.size() + " YAML files under " + manifests);
        }
        if (byPath.isEmpty()) {
            throw new LocalStackException("Cannot read the edge's routes: the Ingress under " + manifests
                    + " has no spec.rules[].http.paths[] with a service backend");
        }
        return of(List.copyOf(byPath.values()));
    }

    private static List<Map<?, ?>> documents(Path file) {
        Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
        List<Map<?, ?>> documents = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (Object document : yaml.loadAll(reader)) {
                if (document instanceof Map<?, ?> map) {
                    documents.add(map);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        } catch (YAMLException e) {
            throw new LocalStackException("Cannot parse " + file + " as YAML: " + e.getMessage(), e);
        }
        return documents;
    }

    private static List<Route> routesOf(Map<?, ?> ingress, Path file) {
        List<Route> routes = new ArrayList<>();
        Map<?, ?> spec = map(ingress.get("spec"));
        Object defaultBackend = spec.get("defaultBackend");
        if (defaultBackend != null) {
            routes.add(new Route("/", PathType.PREFIX, serviceName(defaultBackend, file, "spec.defaultBackend"), file));
        }
        for (Object rule : list(spec.get("rules"))) {
            Map<?, ?> http = map(map(rule).get("http"));
            for (Object entry : list(http.get("paths"))) {
                Map<?, ?> path = map(entry);
                String value = path.get("path") instanceof String text ? text : "/";
                if (!value.startsWith("/")) {
                    throw new LocalStackException("Ingress path '" + value + "' in " + file + " does not start with /");
                }
                String type = path.get("pathType") instanceof String text ? text : "Prefix";
                PathType pathType = switch (type) {
                    case "Exact" -> PathType.EXACT;
                    case "Prefix", "ImplementationSpecific" -> PathType.PREFIX;
                    default -> throw new LocalStackException("Unknown pathType '" + type + "' for " + value + " in " + file);
                };
                routes.add(new Route(value, pathType, serviceName(path.get("backend"), file, value), file));
            }
        }
        return routes;
    }

    private static String serviceName(Object backend, Path file, String where) {
        Object name = map(map(backend).get("service")).get("name");
        if (!(name instanceof String service) || service.isBlank()) {
            throw new LocalStackException("The Ingress backend of " + where + " in " + file
                    + " names no service (backend.service.name); the local edge can only route to services");
        }
        return service;
    }

    private static Map<?, ?> map(Object value) {
        return value instanceof Map<?, ?> map ? map : Map.of();
    }

    private static List<?> list(Object value) {
        return value instanceof List<?> list ? list : List.of();
    }

    private static String trimTrailingSlash(String path) {
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
