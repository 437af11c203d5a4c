package dev.ticketing.localstack;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
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
record IngressRoutes(List<Route> routes) {

    enum PathType { EXACT, PREFIX }

    record Route(String path, PathType type, String service, Path source) {

        boolean matches(String requestPath) {
            String prefix = withoutTrailingSlash(path);
            return type == PathType.EXACT ? requestPath.equals(path)
                    : prefix.isEmpty() || requestPath.equals(prefix) || requestPath.startsWith(prefix + "/");
        }

        @Override
        public String toString() {
            return path + (type == PathType.EXACT ? " (exact)" : "") + " -> " + service;
        }
    }

    IngressRoutes {
        routes = routes.stream().sorted(Comparator.comparingInt((Route route) -> withoutTrailingSlash(route.path())
                .length()).reversed().thenComparing(Route::type)).toList();
    }

    Optional<Route> match(String requestPath) {
        return routes.stream().filter(route -> route.matches(requestPath)).findFirst();
    }

    /** Every {@code kind: Ingress} document in the YAML files under {@code manifests}, merged. */
    static IngressRoutes read(Path manifests) {
        if (!Files.isDirectory(manifests)) {
            throw new IllegalStateException("Cannot read the edge's routes: " + manifests + " does not exist. The "
                    + "local edge routes like the Kubernetes Ingress, so it needs the Ingress under infra/k8s.");
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(manifests)) {
            files = walk.filter(file -> file.toString().matches("(?i).*\\.ya?ml") && Files.isRegularFile(file))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + manifests, e);
        }
        Map<String, Route> byPath = new LinkedHashMap<>();
        int ingresses = 0;
        for (Path file : files) {
            for (Map<?, ?> ingress : ingresses(file)) {
                ingresses++;
                for (Route route : routesOf(ingress, file)) {
                    Route earlier = byPath.putIfAbsent(route.type() + " " + route.path(), route);
                    if (earlier != null && !earlier.service().equals(route.service())) {
                        throw new IllegalStateException("The Ingress manifests disagree: " + route.path() + " goes to "
                                + earlier.service() + " in " + earlier.source() + " but to " + route.service()
                                + " in " + route.source());
                    }
                }
            }
        }
        if (ingresses == 0) {
            throw new IllegalStateException("Cannot read the edge's routes: no document with 'kind: Ingress' in the "
                    + files.size() + " YAML files under " + manifests);
        }
        if (byPath.isEmpty()) {
            throw new IllegalStateException("Cannot read the edge's routes: the Ingress under " + manifests
                    + " has no spec.rules[].http.paths[] with a service backend");
        }
        return new IngressRoutes(List.copyOf(byPath.values()));
    }

    private static List<Map<?, ?>> ingresses(Path file) {
        List<Map<?, ?>> ingresses = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(file)) {
            for (Object document : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(reader)) {
                if (document instanceof Map<?, ?> map && "Ingress".equals(map.get("kind"))) {
                    ingresses.add(map);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        } catch (YAMLException e) {
            throw new IllegalStateException("Cannot parse " + file + " as YAML: " + e.getMessage(), e);
        }
        return ingresses;
    }

    private static List<Route> routesOf(Map<?, ?> ingress, Path file) {
        List<Route> routes = new ArrayList<>();
        Map<?, ?> spec = map(ingress.get("spec"));
        if (spec.get("defaultBackend") instanceof Object backend) {
            routes.add(new Route("/", PathType.PREFIX, serviceName(backend, file, "spec.defaultBackend"), file));
        }
        for (Object rule : list(spec.get("rules"))) {
            for (Object entry : list(map(map(rule).get("http")).get("paths"))) {
                Map<?, ?> path = map(entry);
                String value = path.get("path") instanceof String text ? text : "/";
                if (!value.startsWith("/")) {
                    throw new IllegalStateException("Ingress path '" + value + "' in " + file + " lacks its first /");
                }
                PathType type = switch (path.get("pathType") instanceof String text ? text : "Prefix") {
                    case "Exact" -> PathType.EXACT;
                    case "Prefix", "ImplementationSpecific" -> PathType.PREFIX;
                    case String other -> throw new IllegalStateException("Unknown pathType '" + other + "' for "
                            + value + " in " + file);
                };
                routes.add(new Route(value, type, serviceName(path.get("backend"), file, value), file));
            }
        }
        return routes;
    }

    private static String serviceName(Object backend, Path file, String where) {
        if (!(map(map(backend).get("service")).get("name") instanceof String service) || service.isBlank()) {
            throw new IllegalStateException("The Ingress backend of " + where + " in " + file
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

    private static String withoutTrailingSlash(String path) {
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
