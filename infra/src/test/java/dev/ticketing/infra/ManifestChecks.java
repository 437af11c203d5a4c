package dev.ticketing.infra;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Listener;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReference;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressRuleValue;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.IngressServiceBackend;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import tools.jackson.databind.node.ObjectNode;

/**
 * Everything the offline test demands of one skaffold setup and the manifests it deploys. Each problem is one
 * line naming the object and what is wrong, so a failing build says what to fix.
 */
final class ManifestChecks {

    /** Images nobody here builds: the official mongo and nats images, pinned by tag. */
    static final Set<String> THIRD_PARTY_IMAGES = Set.of("mongo", "nats");

    /** Secrets created by hand, not by an overlay: the Gateway's TLS certificate (infra/README.md). */
    static final Set<String> HAND_MADE_SECRETS = Set.of("ticketing-dev-tls");

    /**
     * Secrets an overlay deliberately leaves to the operator (created before the first deployment, as
     * infra/README.md says), by kustomization path, with the keys the operator is told to set.
     */
    static final Map<String, Map<String, Set<String>>> OPERATOR_SECRETS = Map.of(
            "infra/k8s/overlays/production", Map.of("jwt-key", Set.of("JWT_KEY")));

    /**
     * Secrets no overlay generates that the operator may create, in any setup, to turn a feature on (as
     * infra/README.md says), with the keys it is told to set. A pod reads them with {@code optional: true}, so it
     * starts without them: stripe-key switches payments-service from the sandbox provider to Stripe.
     */
    static final Map<String, Set<String>> OPTIONAL_SECRETS = Map.of("stripe-key", Set.of("STRIPE_KEY"),
            "stripe-publishable-key", Set.of("STRIPE_PUBLISHABLE_KEY"));

    /**
     * Where the web client serves its server-sent events (the page contract: {@code /live/...}). Long-lived responses
     * written a little at a time: their route must not buffer them or time them out, and what it takes must not
     * reach the other routes.
     */
    static final String EVENT_STREAM_PATH = "/live";

    /**
     * The only annotations an Ingress may carry, and only an Ingress of the event stream path alone: what
     * ingress-nginx needs to stream (no buffering, an hour between reads). Other controllers ignore them.
     */
    static final Map<String, String> EVENT_STREAM_ANNOTATIONS = Map.of(
            "nginx.ingress.kubernetes.io/proxy-buffering", "off",
            "nginx.ingress.kubernetes.io/proxy-read-timeout", "3600",
            "nginx.ingress.kubernetes.io/proxy-send-timeout", "3600");

    static final String PART_OF = "app.kubernetes.io/part-of";
    static final String NAME = "app.kubernetes.io/name";

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final Pattern CONNECTION_URI = Pattern.compile("^(mongodb|nats|http)://(.*)$");
    private static final Pattern HOST_PORT = Pattern.compile("^([a-z0-9.-]+)(?::(\\d+))?$");
    private static final Map<String, Integer> DEFAULT_PORTS = Map.of("mongodb", 27017, "nats", 4222, "http", 80);

    private final Project project;
    private final Skaffold.Setup setup;
    private final List<String> problems = new ArrayList<>();
    private final List<HasMetadata> objects = new ArrayList<>();
    /** Image repository to the module its skaffold artifact builds. */
    private final Map<String, String> artifactModules = new LinkedHashMap<>();

    private ManifestChecks(Project project, Skaffold.Setup setup) {
        this.project = project;
        this.setup = setup;
    }

    static List<String> check(Project project, Skaffold.Setup setup, List<ObjectNode> rendered) {
        ManifestChecks checks = new ManifestChecks(project, setup);
        checks.skaffold();
        checks.parse(rendered);
        checks.labels();
        checks.workloads();
        checks.services();
        checks.disruptionBudgets();
        checks.ingresses();
        checks.gatewayApi();
        return List.copyOf(checks.problems);
    }

    /** Parses one object as the test does: typed, or an error (unknown kind, wrong type). */
    static HasMetadata typed(ObjectNode object) {
        return SERIALIZATION.unmarshal(object.toString());
    }

    private void problem(String format, Object... arguments) {
        problems.add(setup.name() + ": " + String.format(format, arguments));
    }

    // skaffold.yaml -----------------------------------------------------------------------------------------

    private void skaffold() {
        Skaffold.Config config = setup.config();
        if (!Skaffold.SCHEMA.equals(config.apiVersion()) || !"Config".equals(config.kind())) {
            problem("skaffold.yaml is %s %s, expected %s Config", config.apiVersion(), config.kind(),
                    Skaffold.SCHEMA);
        }
        List<String> modules = project.modules();
        for (Skaffold.Artifact artifact : setup.artifacts()) {
            String image = artifact.image();
            if (artifactModules.containsKey(image)) {
                problem("skaffold builds image %s twice", image);
            }
            if (artifact.jib() == null || artifact.jib().project() == null) {
                problem("skaffold artifact %s is not a Jib build of a module (jib.project)", image);
                continue;
            }
            String module = artifact.jib().project();
            artifactModules.put(image, module);
            if (!".".equals(artifact.context())) {
                problem("skaffold artifact %s: context must be '.', the Maven reactor root (is %s)", image,
                        artifact.context());
            }
            Optional<Project.Module> pom = project.module(module);
            if (pom.isEmpty()) {
                problem("skaffold artifact %s: module %s does not exist (no %s/pom.xml)", image, module, module);
                continue;
            }
            if (!modules.contains(module)) {
                problem("skaffold artifact %s: module %s is not in the root pom's <modules>", image, module);
            }
            String expected = project.jibImage(pom.get()).orElse("(no to.image)");
            if (!image.equals(expected)) {
                problem("skaffold artifact %s: Jib names module %s's image %s (to.image in the root pom), so "
                        + "`jib:dockerBuild` alone would not build what the manifests run", image, module, expected);
            }
            String mainClass = project.jibConfiguration("container", "mainClass").orElse("");
            if (mainClass.equals("${start-class}") && !pom.get().properties().containsKey("start-class")) {
                problem("skaffold artifact %s: module %s sets no start-class property (Jib's main class)", image,
                        module);
            } else if (mainClass.isEmpty()) {
                problem("the root pom's Jib configuration names no container.mainClass");
            }
        }
        if (setup.kustomizePaths().isEmpty()) {
            problem("skaffold renders no kustomization (manifests.kustomize.paths)");
        }
    }

    // Parsing -----------------------------------------------------------------------------------------------

    private void parse(List<ObjectNode> rendered) {
        for (ObjectNode node : rendered) {
            String key = Kustomize.key(node);
            HasMetadata object;
            try {
                object = typed(node);
            } catch (RuntimeException e) {
                problem("%s does not parse: %s", key, e.getMessage());
                continue;
            }
            if (object instanceof GenericKubernetesResource) {
                problem("%s: %s is not a kind the test knows (a typo in kind or apiVersion?)", key,
                        node.path("apiVersion").asString());
                continue;
            }
            UnknownFields.in(object).forEach(unknown -> problem("%s: %s", key, unknown));
            objects.add(object);
        }
    }

    private <T extends HasMetadata> List<T> all(Class<T> kind) {
        return objects.stream().filter(kind::isInstance).map(kind::cast).toList();
    }

    private <T extends HasMetadata> Optional<T> named(Class<T> kind, String name) {
        return all(kind).stream().filter(object -> object.getMetadata().getName().equals(name)).findFirst();
    }

    private static String key(HasMetadata object) {
        return object.getKind() + "/" + object.getMetadata().getName();
    }

    // Labels ------------------------------------------------------------------------------------------------

    private void labels() {
        for (HasMetadata object : objects) {
            Map<String, String> labels = object.getMetadata().getLabels();
            if (labels == null || !labels.containsKey(PART_OF)) {
                problem("%s has no %s label", key(object), PART_OF);
            }
        }
        workloadTemplates().forEach((workload, template) -> {
            Map<String, String> labels = template.getMetadata() == null ? null : template.getMetadata().getLabels();
            if (labels == null || !labels.containsKey(NAME) || !labels.containsKey(PART_OF)) {
                problem("%s: its pods lack the %s and %s labels", key(workload), NAME, PART_OF);
            }
        });
    }

    // Workloads ---------------------------------------------------------------------------------------------

    private Map<HasMetadata, PodTemplateSpec> workloadTemplates() {
        Map<HasMetadata, PodTemplateSpec> templates = new LinkedHashMap<>();
        all(Deployment.class).forEach(d -> templates.put(d, d.getSpec().getTemplate()));
        all(StatefulSet.class).forEach(s -> templates.put(s, s.getSpec().getTemplate()));
        all(DaemonSet.class).forEach(d -> templates.put(d, d.getSpec().getTemplate()));
        return templates;
    }

    private void workloads() {
        Set<String> deployedArtifacts = new HashSet<>();
        workloadTemplates().forEach((workload, template) -> {
            PodSpec pod = template.getSpec();
            List<PersistentVolumeClaim> claims = workload instanceof StatefulSet set
                    && set.getSpec().getVolumeClaimTemplates() != null ? set.getSpec().getVolumeClaimTemplates()
                            : List.of();
            for (Container container : pod.getContainers()) {
                String where = key(workload) + " container " + container.getName();
                probes(where, container);
                memory(where, container);
                volumeMounts(where, container, pod, claims);
                references(where, container);
                String repository = repository(container.getImage());
                if (artifactModules.containsKey(repository)) {
                    deployedArtifacts.add(repository);
                    if (!repository.equals(container.getImage())) {
                        problem("%s: image %s carries a tag; skaffold tags the images it builds", where,
                                container.getImage());
                    }
                    springBootService(where, container, pod, artifactModules.get(repository));
                } else if (THIRD_PARTY_IMAGES.contains(repository)) {
                    String tag = container.getImage().substring(repository.length());
                    if (!tag.startsWith(":") || tag.equals(":latest")) {
                        problem("%s: third-party image %s needs a pinned tag", where, container.getImage());
                    }
                } else {
                    problem("%s: image %s is built by no skaffold artifact (and is not a known third-party "
                            + "image %s)", where, container.getImage(), THIRD_PARTY_IMAGES);
                }
            }
            for (TopologySpreadConstraint spread : Optional.ofNullable(pod.getTopologySpreadConstraints())
                    .orElse(List.of())) {
                topologySpread(workload, template, spread);
            }
            for (Volume volume : Optional.ofNullable(pod.getVolumes()).orElse(List.of())) {
                if (volume.getConfigMap() != null
                        && named(ConfigMap.class, volume.getConfigMap().getName()).isEmpty()) {
                    problem("%s: volume %s names ConfigMap %s, which the overlay does not render", key(workload),
                            volume.getName(), volume.getConfigMap().getName());
                }
                if (volume.getSecret() != null && named(Secret.class, volume.getSecret().getSecretName()).isEmpty()) {
                    problem("%s: volume %s names Secret %s, which the overlay does not generate", key(workload),
                            volume.getName(), volume.getSecret().getSecretName());
                }
            }
            if (workload instanceof StatefulSet set) {
                if (named(Service.class, set.getSpec().getServiceName()).isEmpty()) {
                    problem("%s: serviceName %s names no Service", key(set), set.getSpec().getServiceName());
                }
                for (PersistentVolumeClaim claim : claims) {
                    boolean mounted = pod.getContainers().stream()
                            .flatMap(c -> Optional.ofNullable(c.getVolumeMounts()).orElse(List.of()).stream())
                            .anyMatch(mount -> mount.getName().equals(claim.getMetadata().getName()));
                    if (!mounted) {
                        problem("%s: volumeClaimTemplate %s is mounted by no container", key(set),
                                claim.getMetadata().getName());
                    }
                }
            }
        });
        for (String image : artifactModules.keySet()) {
            if (!deployedArtifacts.contains(image)) {
                problem("skaffold builds %s, but no manifest runs it", image);
            }
        }
    }

    /** A spread counts the workload's own pods, and says what to do when it cannot be met, as the API requires. */
    private void topologySpread(HasMetadata workload, PodTemplateSpec template, TopologySpreadConstraint spread) {
        if (!selects(spread.getLabelSelector(), template)) {
            problem("%s: topologySpreadConstraint over %s counts pods %s, which are not its own", key(workload),
                    spread.getTopologyKey(), spread.getLabelSelector() == null ? "(none)"
                            : spread.getLabelSelector().getMatchLabels());
        }
        if (!Set.of("DoNotSchedule", "ScheduleAnyway").contains(spread.getWhenUnsatisfiable())) {
            problem("%s: whenUnsatisfiable %s is neither DoNotSchedule nor ScheduleAnyway", key(workload),
                    spread.getWhenUnsatisfiable());
        }
        if (spread.getMinDomains() != null && !"DoNotSchedule".equals(spread.getWhenUnsatisfiable())) {
            problem("%s: minDomains applies only with whenUnsatisfiable DoNotSchedule", key(workload));
        }
    }

    /** Whether a selector of matchLabels only (the form used here) selects a pod template. */
    private static boolean selects(LabelSelector selector, PodTemplateSpec template) {
        if (selector == null || selector.getMatchLabels() == null || selector.getMatchLabels().isEmpty()
                || (selector.getMatchExpressions() != null && !selector.getMatchExpressions().isEmpty())) {
            return false;
        }
        Map<String, String> labels = template.getMetadata() == null ? null : template.getMetadata().getLabels();
        return labels != null && labels.entrySet().containsAll(selector.getMatchLabels().entrySet());
    }

    private void probes(String where, Container container) {
        Map<String, Probe> probes = new LinkedHashMap<>();
        probes.put("startupProbe", container.getStartupProbe());
        probes.put("livenessProbe", container.getLivenessProbe());
        probes.put("readinessProbe", container.getReadinessProbe());
        probes.forEach((kind, probe) -> {
            if (probe == null) {
                problem("%s has no %s", where, kind);
                return;
            }
            IntOrString port = probe.getHttpGet() != null ? probe.getHttpGet().getPort()
                    : probe.getTcpSocket() != null ? probe.getTcpSocket().getPort()
                            : probe.getGrpc() != null ? new IntOrString(probe.getGrpc().getPort()) : null;
            if (port != null && containerPort(container, port).isEmpty()) {
                problem("%s: %s probes port %s, which the container does not declare", where, kind, value(port));
            }
        });
    }

    private void memory(String where, Container container) {
        var resources = container.getResources();
        Quantity limit = resources == null || resources.getLimits() == null ? null
                : resources.getLimits().get("memory");
        Quantity request = resources == null || resources.getRequests() == null ? null
                : resources.getRequests().get("memory");
        if (limit == null) {
            problem("%s has no memory limit", where);
        } else if (request == null
                || Quantity.getAmountInBytes(limit).compareTo(Quantity.getAmountInBytes(request)) != 0) {
            problem("%s: memory request %s differs from its limit %s (keep them equal)", where, request, limit);
        }
    }

    private void volumeMounts(String where, Container container, PodSpec pod, List<PersistentVolumeClaim> claims) {
        for (VolumeMount mount : Optional.ofNullable(container.getVolumeMounts()).orElse(List.of())) {
            boolean declared = Optional.ofNullable(pod.getVolumes()).orElse(List.of()).stream()
                    .anyMatch(volume -> volume.getName().equals(mount.getName()))
                    || claims.stream().anyMatch(claim -> claim.getMetadata().getName().equals(mount.getName()));
            if (!declared) {
                problem("%s mounts %s, which is no volume or volumeClaimTemplate", where, mount.getName());
            }
        }
    }

    private void references(String where, Container container) {
        for (EnvVar env : Optional.ofNullable(container.getEnv()).orElse(List.of())) {
            if (env.getValueFrom() != null && env.getValueFrom().getSecretKeyRef() != null) {
                var ref = env.getValueFrom().getSecretKeyRef();
                Optional<Secret> secret = named(Secret.class, ref.getName());
                Set<String> operatorKeys = operatorSecrets().get(ref.getName());
                Set<String> optionalKeys = OPTIONAL_SECRETS.get(ref.getName());
                boolean optional = Boolean.TRUE.equals(ref.getOptional());
                if (secret.isEmpty() && optionalKeys != null) {
                    if (!optional) {
                        problem("%s: %s comes from Secret %s, which exists only when the operator wants it: mark the "
                                + "reference optional: true, or the pod cannot start without it", where, env.getName(),
                                ref.getName());
                    } else if (!optionalKeys.contains(ref.getKey())) {
                        problem("%s: %s comes from key %s of Secret %s, but the operator is told to set %s", where,
                                env.getName(), ref.getKey(), ref.getName(), optionalKeys);
                    }
                } else if (secret.isEmpty() && optional) {
                    problem("%s: %s comes from optional Secret %s, which the overlay does not generate and the README "
                            + "does not tell how to create (ManifestChecks.OPTIONAL_SECRETS)", where, env.getName(),
                            ref.getName());
                } else if (secret.isEmpty() && operatorKeys != null) {
                    if (!operatorKeys.contains(ref.getKey())) {
                        problem("%s: %s comes from key %s of Secret %s, but the operator is told to set %s", where,
                                env.getName(), ref.getKey(), ref.getName(), operatorKeys);
                    }
                } else if (secret.isEmpty()) {
                    problem("%s: %s comes from Secret %s, which the overlay does not generate", where, env.getName(),
                            ref.getName());
                } else if (!keys(secret.get().getData(), secret.get().getStringData()).contains(ref.getKey())) {
                    problem("%s: %s comes from key %s of Secret %s, which has no such key", where, env.getName(),
                            ref.getKey(), ref.getName());
                }
            }
            if (env.getValueFrom() != null && env.getValueFrom().getConfigMapKeyRef() != null) {
                var ref = env.getValueFrom().getConfigMapKeyRef();
                if (named(ConfigMap.class, ref.getName()).isEmpty()) {
                    problem("%s: %s comes from ConfigMap %s, which the overlay does not render", where,
                            env.getName(), ref.getName());
                }
            }
            for (Endpoint endpoint : endpoints(env.getValue())) {
                endpoint(where, env.getName(), endpoint);
            }
        }
        for (var envFrom : Optional.ofNullable(container.getEnvFrom()).orElse(List.of())) {
            if (envFrom.getSecretRef() != null && named(Secret.class, envFrom.getSecretRef().getName()).isEmpty()) {
                problem("%s: envFrom names Secret %s, which the overlay does not generate", where,
                        envFrom.getSecretRef().getName());
            }
        }
    }

    private Map<String, Set<String>> operatorSecrets() {
        Map<String, Set<String>> secrets = new LinkedHashMap<>();
        setup.kustomizePaths().forEach(path -> secrets.putAll(OPERATOR_SECRETS.getOrDefault(path, Map.of())));
        return secrets;
    }

    /** One server of a connection URI: {@code nats://a:4222,nats://b:4222} and {@code mongodb://a,b/db} have two. */
    record Endpoint(String host, int port) {
    }

    /**
     * The servers a mongodb://, nats:// or http:// value names (each URI of a comma-separated list, each host of one).
     */
    static List<Endpoint> endpoints(String value) {
        List<Endpoint> endpoints = new ArrayList<>();
        String scheme = null;
        for (String part : Objects.requireNonNullElse(value, "").split(",", -1)) {
            Matcher uri = CONNECTION_URI.matcher(part);
            String rest;
            if (uri.matches()) {
                scheme = uri.group(1);
                rest = uri.group(2);
            } else if (scheme != null) {
                rest = part; // the next host of mongodb://a,b/db
            } else {
                return List.of(); // not a connection URI
            }
            String authority = rest.split("[/?]", 2)[0];
            authority = authority.substring(authority.lastIndexOf('@') + 1);
            Matcher hostPort = HOST_PORT.matcher(authority);
            endpoints.add(hostPort.matches() ? new Endpoint(hostPort.group(1), hostPort.group(2) != null
                    ? Integer.parseInt(hostPort.group(2)) : DEFAULT_PORTS.get(scheme))
                    : new Endpoint(authority, DEFAULT_PORTS.get(scheme)));
        }
        return endpoints;
    }

    /**
     * A server named as {@code service} or {@code pod.service} (optionally followed by {@code .namespace.svc} and
     * {@code .cluster.local}) must be served by that Service on that port; a pod's name must be one of the pods
     * of the StatefulSet that the (headless) Service governs. Other names are outside the cluster: unchecked.
     */
    private void endpoint(String where, String variable, Endpoint endpoint) {
        List<String> labels = new ArrayList<>(List.of(endpoint.host().split("\\.")));
        if (labels.size() > 4 && labels.subList(labels.size() - 3, labels.size()).equals(List.of("svc", "cluster",
                "local"))) {
            labels = labels.subList(0, labels.size() - 4);
        } else if (labels.size() > 2 && labels.getLast().equals("svc")) {
            labels = labels.subList(0, labels.size() - 2);
        }
        if (labels.size() > 2) {
            return;
        }
        String serviceName = labels.getLast();
        Optional<Service> service = named(Service.class, serviceName);
        boolean served = service.stream().flatMap(s -> s.getSpec().getPorts().stream())
                .anyMatch(p -> p.getPort() == endpoint.port());
        if (!served) {
            problem("%s: %s points at %s:%d, which no Service serves", where, variable, endpoint.host(),
                    endpoint.port());
            return;
        }
        if (labels.size() == 1) {
            return;
        }
        String pod = labels.getFirst();
        if (!"None".equals(service.get().getSpec().getClusterIP())) {
            problem("%s: %s names pod %s through Service %s, which is not headless (no per-pod DNS names)", where,
                    variable, pod, serviceName);
            return;
        }
        Optional<StatefulSet> set = all(StatefulSet.class).stream()
                .filter(s -> serviceName.equals(s.getSpec().getServiceName()))
                .filter(s -> pod.matches(Pattern.quote(s.getMetadata().getName()) + "-(0|[1-9][0-9]*)")).findFirst();
        if (set.isEmpty()) {
            problem("%s: %s points at pod %s, which no StatefulSet governed by Service %s runs", where, variable, pod,
                    serviceName);
            return;
        }
        int ordinal = Integer.parseInt(pod.substring(set.get().getMetadata().getName().length() + 1));
        int replicas = replicas(set.get());
        if (ordinal >= replicas) {
            problem("%s: %s points at pod %s, but %s runs %d pod(s)", where, variable, pod,
                    key(set.get()), replicas);
        }
    }

    private static int replicas(HasMetadata workload) {
        Integer replicas = switch (workload) {
            case Deployment deployment -> deployment.getSpec().getReplicas();
            case StatefulSet set -> set.getSpec().getReplicas();
            default -> null;
        };
        return replicas == null ? 1 : replicas;
    }

    private static Set<String> keys(Map<String, String> data, Map<String, String> stringData) {
        return Stream.concat(Optional.ofNullable(data).orElse(Map.of()).keySet().stream(),
                Optional.ofNullable(stringData).orElse(Map.of()).keySet().stream()).collect(Collectors.toSet());
    }

    /** What the Spring Boot services need: the variables they read, the Actuator probes, graceful stop. */
    private void springBootService(String where, Container container, PodSpec pod, String moduleName) {
        Optional<Project.Module> found = project.module(moduleName);
        if (found.isEmpty()) {
            return; // reported with the skaffold artifact
        }
        Project.Module module = found.get();
        Project.Environment environment = Project.environment(module);
        Map<String, String> settings = module.settings();
        Map<String, String> placeholders = module.placeholders();
        for (EnvVar env : Optional.ofNullable(container.getEnv()).orElse(List.of())) {
            String name = env.getName();
            if (!environment.reads(name)) {
                problem("%s: %s sets %s, which %s does not read (see Project.environment)", where, moduleName, name,
                        moduleName);
                continue;
            }
            String value = env.getValue();
            String defaultValue = placeholders.get(name) != null ? placeholders.get(name)
                    : Project.CODE_DEFAULTS.containsKey(name) ? Project.CODE_DEFAULTS.get(name)
                            : settings.get(name.replace("_", ""));
            if (value != null && value.equals(defaultValue)) {
                problem("%s: %s=%s repeats the service's own default", where, name, value);
            }
        }
        String javaOptions = Optional.ofNullable(container.getEnv()).orElse(List.of()).stream()
                .filter(env -> env.getName().equals("JAVA_TOOL_OPTIONS")).map(EnvVar::getValue)
                .filter(Objects::nonNull).findFirst().orElse("");
        if (!javaOptions.contains("-XX:MaxRAMPercentage=")) {
            problem("%s: JAVA_TOOL_OPTIONS does not size the heap from the memory limit (-XX:MaxRAMPercentage)",
                    where);
        }
        probePath(where, "livenessProbe", container.getLivenessProbe(), "/actuator/health/liveness");
        probePath(where, "readinessProbe", container.getReadinessProbe(), "/actuator/health/readiness");
        if (container.getLifecycle() == null || container.getLifecycle().getPreStop() == null) {
            problem("%s has no preStop hook (the pod would stop before the edge stops sending to it)", where);
        }
        if (pod.getTerminationGracePeriodSeconds() == null) {
            problem("%s: set terminationGracePeriodSeconds above preStop plus Spring's graceful shutdown", where);
        }
    }

    private void probePath(String where, String kind, Probe probe, String path) {
        if (probe != null && (probe.getHttpGet() == null || !path.equals(probe.getHttpGet().getPath()))) {
            problem("%s: %s must be an HTTP GET of %s", where, kind, path);
        }
    }

    // Services ----------------------------------------------------------------------------------------------

    private void services() {
        Map<HasMetadata, PodTemplateSpec> templates = workloadTemplates();
        for (Service service : all(Service.class)) {
            Map<String, String> selector = service.getSpec().getSelector();
            if (selector == null || selector.isEmpty()) {
                problem("%s selects nothing (no selector)", key(service));
                continue;
            }
            List<Map.Entry<HasMetadata, PodTemplateSpec>> selected = templates.entrySet().stream()
                    .filter(e -> e.getValue().getMetadata() != null && e.getValue().getMetadata().getLabels() != null
                            && e.getValue().getMetadata().getLabels().entrySet().containsAll(selector.entrySet()))
                    .toList();
            if (selected.size() != 1) {
                problem("%s: selector %s matches %s", key(service), selector, selected.isEmpty() ? "no workload"
                        : selected.size() + " workloads " + selected.stream().map(e -> key(e.getKey())).toList());
                continue;
            }
            List<Container> containers = selected.getFirst().getValue().getSpec().getContainers();
            for (ServicePort port : service.getSpec().getPorts()) {
                IntOrString target = port.getTargetPort() != null ? port.getTargetPort()
                        : new IntOrString(port.getPort());
                if (containers.stream().allMatch(c -> containerPort(c, target).isEmpty())) {
                    problem("%s: port %s targets %s, which %s does not declare", key(service), port.getName(),
                            value(target), key(selected.getFirst().getKey()));
                }
            }
        }
    }

    private static Optional<ContainerPort> containerPort(Container container, IntOrString port) {
        return Optional.ofNullable(container.getPorts()).orElse(List.of()).stream()
                .filter(p -> port.getIntVal() != null ? Objects.equals(p.getContainerPort(), port.getIntVal())
                        : Objects.equals(p.getName(), port.getStrVal()))
                .findFirst();
    }

    private static Object value(IntOrString port) {
        return port.getIntVal() != null ? port.getIntVal() : port.getStrVal();
    }

    private boolean servicePortExists(String serviceName, String portName, Integer portNumber) {
        return named(Service.class, serviceName).stream().flatMap(s -> s.getSpec().getPorts().stream())
                .anyMatch(p -> portName != null ? portName.equals(p.getName())
                        : Objects.equals(portNumber, p.getPort()));
    }

    // Disruption budgets ------------------------------------------------------------------------------------

    /**
     * Each budget selects the pods of exactly one workload (by matchLabels), sets one of maxUnavailable and
     * minAvailable, and still lets a drain evict a pod: a budget that allows no eviction blocks node upgrades.
     */
    private void disruptionBudgets() {
        Map<HasMetadata, PodTemplateSpec> templates = workloadTemplates();
        for (PodDisruptionBudget budget : all(PodDisruptionBudget.class)) {
            LabelSelector selector = budget.getSpec().getSelector();
            if (selector != null && selector.getMatchExpressions() != null && !selector.getMatchExpressions().isEmpty()) {
                problem("%s: select by matchLabels only (this test does not evaluate matchExpressions)", key(budget));
                continue;
            }
            List<HasMetadata> selected = templates.entrySet().stream().filter(e -> selects(selector, e.getValue()))
                    .map(Map.Entry::getKey).toList();
            if (selected.size() != 1) {
                problem("%s: selector %s matches %s", key(budget), selector == null ? "(none)"
                        : selector.getMatchLabels(), selected.isEmpty() ? "no workload's pods"
                                : selected.size() + " workloads " + selected.stream().map(ManifestChecks::key).toList());
                continue;
            }
            IntOrString maxUnavailable = budget.getSpec().getMaxUnavailable();
            IntOrString minAvailable = budget.getSpec().getMinAvailable();
            if ((maxUnavailable == null) == (minAvailable == null)) {
                problem("%s: set exactly one of maxUnavailable and minAvailable", key(budget));
                continue;
            }
            int replicas = replicas(selected.getFirst());
            int evictable = maxUnavailable != null ? pods(maxUnavailable, replicas)
                    : replicas - pods(minAvailable, replicas);
            if (evictable < 1) {
                problem("%s: %s with %d replica(s) of %s lets no pod be evicted, so every drain blocks", key(budget),
                        maxUnavailable != null ? "maxUnavailable " + value(maxUnavailable)
                                : "minAvailable " + value(minAvailable), replicas, key(selected.getFirst()));
            }
        }
    }

    /** A budget's number or percentage as pods (Kubernetes rounds percentages up). */
    private static int pods(IntOrString amount, int replicas) {
        if (amount.getIntVal() != null) {
            return amount.getIntVal();
        }
        int percent = Integer.parseInt(amount.getStrVal().replace("%", ""));
        return (percent * replicas + 99) / 100;
    }

    // Routing -----------------------------------------------------------------------------------------------

    private void ingresses() {
        boolean eventStreamRouted = false;
        for (Ingress ingress : all(Ingress.class)) {
            Map<String, String> annotations = Optional.ofNullable(ingress.getMetadata().getAnnotations())
                    .orElse(Map.of());
            List<String> paths = Optional.ofNullable(ingress.getSpec().getRules()).orElse(List.of()).stream()
                    .flatMap(rule -> rule.getHttp() == null ? Stream.empty() : rule.getHttp().getPaths().stream())
                    .map(HTTPIngressPath::getPath).toList();
            boolean streaming = annotations.equals(EVENT_STREAM_ANNOTATIONS);
            if (!annotations.isEmpty() && !EVENT_STREAM_ANNOTATIONS.keySet().containsAll(annotations.keySet())) {
                problem("%s: annotations %s tie it to one controller; use plain Ingress fields", key(ingress),
                        annotations.keySet());
            } else if (!annotations.isEmpty() && !streaming) {
                problem("%s: the event stream's annotations must be exactly %s, not %s", key(ingress),
                        EVENT_STREAM_ANNOTATIONS, annotations);
            } else if (streaming && !paths.stream().allMatch(EVENT_STREAM_PATH::equals)) {
                problem("%s: its event stream annotations (no buffering, long timeouts) would reach %s; keep %s "
                        + "alone in this Ingress", key(ingress), paths.stream()
                                .filter(path -> !EVENT_STREAM_PATH.equals(path)).toList(), EVENT_STREAM_PATH);
            }
            eventStreamRouted |= streaming && paths.contains(EVENT_STREAM_PATH);
            for (IngressRule rule : Optional.ofNullable(ingress.getSpec().getRules()).orElse(List.of())) {
                if (rule.getHost() == null || rule.getHost().isBlank()) {
                    problem("%s: a rule without a host", key(ingress));
                }
                HTTPIngressRuleValue http = rule.getHttp();
                for (HTTPIngressPath path : http == null ? List.<HTTPIngressPath>of() : http.getPaths()) {
                    if (!"Prefix".equals(path.getPathType()) && !"Exact".equals(path.getPathType())) {
                        problem("%s: path %s has pathType %s; use Prefix (portable across controllers)",
                                key(ingress), path.getPath(), path.getPathType());
                    }
                    IngressServiceBackend backend = path.getBackend().getService();
                    if (backend == null) {
                        problem("%s: path %s has no service backend", key(ingress), path.getPath());
                    } else if (named(Service.class, backend.getName()).isEmpty()) {
                        problem("%s: path %s routes to Service %s, which does not exist", key(ingress),
                                path.getPath(), backend.getName());
                    } else if (!servicePortExists(backend.getName(), backend.getPort().getName(),
                            backend.getPort().getNumber())) {
                        problem("%s: path %s routes to port %s of Service %s, which has no such port", key(ingress),
                                path.getPath(), Objects.requireNonNullElse(backend.getPort().getName(),
                                        backend.getPort().getNumber()),
                                backend.getName());
                    }
                }
            }
        }
        if (!all(Ingress.class).isEmpty() && !eventStreamRouted) {
            problem("no Ingress routes %s with the event stream annotations %s (ingress-nginx would buffer the "
                    + "client's server-sent events)", EVENT_STREAM_PATH, EVENT_STREAM_ANNOTATIONS.keySet());
        }
    }

    private void gatewayApi() {
        for (Gateway gateway : all(Gateway.class)) {
            for (Listener listener : gateway.getSpec().getListeners()) {
                if (listener.getTls() == null || listener.getTls().getCertificateRefs() == null) {
                    continue;
                }
                listener.getTls().getCertificateRefs().forEach(ref -> {
                    if (named(Secret.class, ref.getName()).isEmpty() && !HAND_MADE_SECRETS.contains(ref.getName())) {
                        problem("%s: listener %s uses certificate Secret %s, which the overlay does not generate "
                                + "and the README does not create", key(gateway), listener.getName(), ref.getName());
                    }
                });
            }
        }
        for (HTTPRoute route : all(HTTPRoute.class)) {
            for (ParentReference parent : route.getSpec().getParentRefs()) {
                Optional<Gateway> gateway = "Gateway".equals(Objects.requireNonNullElse(parent.getKind(), "Gateway"))
                        ? named(Gateway.class, parent.getName()) : Optional.empty();
                if (gateway.isEmpty()) {
                    problem("%s: parent %s is no Gateway here", key(route), parent.getName());
                } else if (parent.getSectionName() != null && gateway.get().getSpec().getListeners().stream()
                        .noneMatch(l -> parent.getSectionName().equals(l.getName()))) {
                    problem("%s: Gateway %s has no listener %s", key(route), parent.getName(),
                            parent.getSectionName());
                }
            }
            boolean eventStreamRouted = false;
            for (HTTPRouteRule rule : route.getSpec().getRules()) {
                boolean eventStream = Optional.ofNullable(rule.getMatches()).orElse(List.of()).stream()
                        .anyMatch(match -> match.getPath() != null
                                && EVENT_STREAM_PATH.equals(match.getPath().getValue()));
                String timeout = rule.getTimeouts() == null ? null : rule.getTimeouts().getRequest();
                if (eventStream && !"0s".equals(timeout)) {
                    problem("%s: the rule for %s has request timeout %s; \"0s\" turns it off (Envoy Gateway's "
                            + "default, 15 s, would end every event stream)", key(route), EVENT_STREAM_PATH,
                            timeout == null ? "(the implementation's default)" : timeout);
                }
                eventStreamRouted |= eventStream;
                for (HTTPBackendRef backend : Optional.ofNullable(rule.getBackendRefs()).orElse(List.of())) {
                    if (!"Service".equals(Objects.requireNonNullElse(backend.getKind(), "Service"))) {
                        problem("%s: backend %s is a %s, not a Service", key(route), backend.getName(),
                                backend.getKind());
                    } else if (named(Service.class, backend.getName()).isEmpty()) {
                        problem("%s: backend Service %s does not exist", key(route), backend.getName());
                    } else if (!servicePortExists(backend.getName(), null, backend.getPort())) {
                        problem("%s: backend Service %s has no port %s", key(route), backend.getName(),
                                backend.getPort());
                    }
                }
            }
            if (!eventStreamRouted) {
                problem("%s: no rule of its own for %s, the event stream (which needs its request timeout off)",
                        key(route), EVENT_STREAM_PATH);
            }
        }
    }

    /** {@code ticketing/auth-service:abc} → {@code ticketing/auth-service}; a registry port is kept. */
    static String repository(String image) {
        int slash = image.lastIndexOf('/');
        int colon = image.lastIndexOf(':');
        int at = image.indexOf('@');
        int end = at >= 0 ? at : colon > slash ? colon : image.length();
        return image.substring(0, end);
    }
}
