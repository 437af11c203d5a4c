package dev.ticketing.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Kubernetes manifests and skaffold.yaml, verified without a cluster, Docker or kubectl: every setup that
 * skaffold can deploy (the default and each profile) is rendered from infra/k8s by {@link Kustomize}, parsed
 * into fabric8's typed model, and held to {@link ManifestChecks}. {@link ChecksFireOnBrokenManifests} proves
 * that each check fires, on copies broken one way each.
 */
class KubernetesManifestsTests {

    static final Project PROJECT = Project.locate();
    static final Skaffold SKAFFOLD = Skaffold.read(PROJECT.root().resolve("skaffold.yaml"));

    static Stream<Arguments> setups() {
        return SKAFFOLD.setups().stream().map(setup -> Arguments.of(Named.of(setup.name(), setup)));
    }

    static List<ObjectNode> render(Skaffold.Setup setup) {
        List<ObjectNode> rendered = new ArrayList<>();
        for (String path : setup.kustomizePaths()) {
            rendered.addAll(Kustomize.build(PROJECT.root().resolve(path)));
        }
        return rendered;
    }

    static Skaffold.Setup setup(String profile) {
        return SKAFFOLD.setups().stream().filter(s -> Objects.equals(s.profile(), profile)).findFirst()
                .orElseThrow(() -> new AssertionError("skaffold.yaml has no profile " + profile));
    }

    static List<HasMetadata> typed(List<ObjectNode> rendered) {
        return rendered.stream().map(ManifestChecks::typed).toList();
    }

    static <T extends HasMetadata> T only(List<HasMetadata> objects, Class<T> kind, String namePrefix) {
        List<T> found = objects.stream().filter(kind::isInstance).map(kind::cast)
                .filter(o -> o.getMetadata().getName().startsWith(namePrefix)).toList();
        assertThat(found).as("%s %s*", kind.getSimpleName(), namePrefix).hasSize(1);
        return found.getFirst();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("setups")
    void everySkaffoldSetupDeploysConsistentManifests(Skaffold.Setup setup) {
        assertThat(ManifestChecks.check(PROJECT, setup, render(setup))).isEmpty();
    }

    @Test
    void skaffoldDeploysEveryOverlay() throws IOException {
        List<String> deployed = SKAFFOLD.setups().stream().flatMap(s -> s.kustomizePaths().stream())
                .map(path -> PROJECT.root().resolve(path).normalize().toString()).toList();
        try (Stream<Path> overlays = Files.list(PROJECT.k8s().resolve("overlays"))) {
            assertThat(overlays.map(Path::toString).toList())
                    .as("overlays that no skaffold setup deploys go unchecked").isSubsetOf(deployed);
        }
        assertThat(SKAFFOLD.setups()).extracting(Skaffold.Setup::profile)
                .contains("gateway-api", "nats-cluster", "production");
        assertThat(setup(null).portForwards()).as("the edge, forwarded for clusters without a load balancer")
                .anySatisfy(forward -> assertThat(forward.port().asInt()).isEqualTo(443));
    }

    @Test
    void theDevOverlayGeneratesADevelopmentOnlyJwtKey() throws IOException {
        List<HasMetadata> objects = typed(render(setup(null)));
        Secret secret = only(objects, Secret.class, "jwt-key-");
        byte[] key = Base64.getMimeDecoder().decode(secret.getData().get("JWT_KEY"));
        assertThat(key.length).as("HS256 needs 32 bytes").isGreaterThanOrEqualTo(32);
        assertThat(new String(key, StandardCharsets.UTF_8)).contains("development-only");
        assertThat(Files.readString(PROJECT.k8s().resolve("overlays/dev/kustomization.yaml")))
                .contains("DEVELOPMENT ONLY");
        assertThat(Files.readString(PROJECT.k8s().resolve("base/kustomization.yaml"))).doesNotContain("JWT_KEY=");
    }

    @Test
    void theReadmeTellsHowToCreateEverySecretLeftToTheOperator() throws IOException {
        String readme = Files.readString(PROJECT.root().resolve("infra/README.md"));
        Map<String, Set<String>> secrets = new TreeMap<>(ManifestChecks.OPTIONAL_SECRETS);
        ManifestChecks.OPERATOR_SECRETS.values().forEach(secrets::putAll);
        assertThat(secrets).containsKeys("jwt-key", "stripe-key");
        secrets.forEach((secret, keys) -> keys.forEach(key -> assertThat(readme)
                .contains("kubectl create secret generic " + secret + " --from-literal=" + key + "=")));
    }

    @Test
    void natsRunsJetStreamFromItsConfigFileAndFlushesEveryWrite() {
        List<HasMetadata> objects = typed(render(setup(null)));
        StatefulSet nats = only(objects, StatefulSet.class, "nats");
        Container container = nats.getSpec().getTemplate().getSpec().getContainers().getFirst();
        assertThat(container.getImage()).isEqualTo("nats:2.14-alpine");
        assertThat(container.getArgs()).containsExactly("-c", "/etc/nats/nats.conf");
        assertThat(container.getVolumeMounts()).anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/etc/nats"))
                .anySatisfy(m -> {
                    assertThat(m.getMountPath()).isEqualTo("/data");
                    assertThat(m.getName()).isEqualTo(
                            nats.getSpec().getVolumeClaimTemplates().getFirst().getMetadata().getName());
                });
        String config = only(objects, ConfigMap.class, "nats-config-").getData().get("nats.conf");
        assertThat(config).contains("store_dir: /data", "sync_interval: always", "http_port: 8222");
        assertThat(container.getPorts()).anySatisfy(p -> {
            assertThat(p.getName()).isEqualTo("monitor");
            assertThat(p.getContainerPort()).isEqualTo(8222);
        });
        assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz?js-enabled-only=true");
        assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/healthz?js-enabled-only=true");
    }

    /** The services skaffold builds, by module name: auth-service, tickets-service, ... */
    static List<String> services() {
        return SKAFFOLD.config().build().artifacts().stream().map(artifact -> artifact.jib().project()).toList();
    }

    /**
     * The services with a database of their own: those that read {@code SPRING_MONGODB_URI}, that is those built with
     * Spring Data MongoDB (the client has none: it keeps nothing, and asks the APIs).
     */
    static List<String> servicesWithADatabase() {
        return services().stream().filter(name -> Project.environment(PROJECT.module(name).orElseThrow())
                .names().contains("SPRING_MONGODB_URI")).toList();
    }

    /** The services that check the session cookie themselves, with the JWT key: those built on web-support. */
    static List<String> servicesWithTheJwtKey() {
        return services().stream().filter(name -> Project.environment(PROJECT.module(name).orElseThrow())
                .names().contains("JWT_KEY")).toList();
    }

    @Test
    void eachServiceWithADatabaseHasItsOwnMongoDbKeepingDataOnAVolumeClaim() {
        List<HasMetadata> objects = typed(render(setup(null)));
        assertThat(services()).contains("auth-service", "tickets-service", "orders-service", "payments-service",
                "client");
        assertThat(servicesWithADatabase()).containsExactly("auth-service", "tickets-service", "orders-service",
                "payments-service");
        assertThat(env(only(objects, Deployment.class, "client"), "SPRING_MONGODB_URI")).isEmpty();
        assertThat(objects).filteredOn(StatefulSet.class::isInstance)
                .extracting(o -> o.getMetadata().getName()).filteredOn(name -> name.endsWith("-mongo"))
                .hasSameSizeAs(servicesWithADatabase());
        for (String name : servicesWithADatabase()) {
            String service = name.substring(0, name.length() - "-service".length());
            assertThat(env(only(objects, Deployment.class, name), "SPRING_MONGODB_URI")).map(EnvVar::getValue)
                    .hasValue("mongodb://" + service + "-mongo:27017/" + service);
            StatefulSet mongo = only(objects, StatefulSet.class, service + "-mongo");
            Container container = mongo.getSpec().getTemplate().getSpec().getContainers().getFirst();
            assertThat(container.getImage()).startsWith("mongo:");
            assertThat(container.getVolumeMounts()).anySatisfy(m -> {
                assertThat(m.getMountPath()).isEqualTo("/data/db");
                assertThat(m.getName()).isEqualTo(
                        mongo.getSpec().getVolumeClaimTemplates().getFirst().getMetadata().getName());
            });
        }
    }

    @Test
    void theIngressAndTheGatewayApiRouteTheSamePrefixes() {
        List<Ingress> ingresses = typed(render(setup(null))).stream().filter(Ingress.class::isInstance)
                .map(Ingress.class::cast).toList();
        Map<String, String> ingressRoutes = ingresses.stream()
                .flatMap(ingress -> ingress.getSpec().getRules().getFirst().getHttp().getPaths().stream())
                .collect(Collectors.toMap(p -> p.getPath(), p -> p.getBackend().getService().getName(),
                        (a, b) -> a + "," + b, TreeMap::new));
        assertThat(ingressRoutes).containsExactlyEntriesOf(new TreeMap<>(Map.of("/api/users", "auth-service",
                "/api/tickets", "tickets-service", "/api/orders", "orders-service", "/api/payments",
                "payments-service", "/", "client", "/live", "client")));
        assertThat(Set.copyOf(ingressRoutes.values())).as("every service is reached through the edge")
                .containsExactlyInAnyOrderElementsOf(services());
        assertThat(ingresses).allSatisfy(ingress -> assertThat(ingress.getSpec().getRules().getFirst().getHost())
                .isEqualTo("ticketing.dev"));

        List<HasMetadata> gatewayApi = typed(render(setup("gateway-api")));
        assertThat(gatewayApi).noneMatch(Ingress.class::isInstance);
        HTTPRoute route = only(gatewayApi, HTTPRoute.class, "ticketing");
        Map<String, String> httpRoutes = route.getSpec().getRules().stream().collect(Collectors.toMap(
                r -> r.getMatches().getFirst().getPath().getValue(), r -> r.getBackendRefs().getFirst().getName(),
                (a, b) -> a, TreeMap::new));
        assertThat(httpRoutes).isEqualTo(ingressRoutes);
        assertThat(route.getSpec().getHostnames()).containsExactly("ticketing.dev");
    }

    @Test
    void theEventStreamIsNeitherBufferedNorTimedOutAtTheEdgeAndTheApisKeepTheDefaults() {
        List<Ingress> ingresses = typed(render(setup(null))).stream().filter(Ingress.class::isInstance)
                .map(Ingress.class::cast).toList();
        Ingress live = ingresses.stream().filter(i -> !i.getMetadata().getAnnotations().isEmpty()).collect(
                Collectors.collectingAndThen(Collectors.toList(), found -> {
                    assertThat(found).as("Ingresses with annotations").hasSize(1);
                    return found.getFirst();
                }));
        assertThat(live.getMetadata().getAnnotations()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "nginx.ingress.kubernetes.io/proxy-buffering", "off",
                "nginx.ingress.kubernetes.io/proxy-read-timeout", "3600",
                "nginx.ingress.kubernetes.io/proxy-send-timeout", "3600"));
        assertThat(live.getSpec().getRules()).singleElement().satisfies(rule -> assertThat(rule.getHttp().getPaths())
                .singleElement().satisfies(path -> {
                    assertThat(path.getPath()).isEqualTo("/live");
                    assertThat(path.getPathType()).isEqualTo("Prefix");
                    assertThat(path.getBackend().getService().getName()).isEqualTo("client");
                }));

        HTTPRoute route = only(typed(render(setup("gateway-api"))), HTTPRoute.class, "ticketing");
        assertThat(route.getSpec().getRules()).filteredOn(rule -> rule.getTimeouts() != null)
                .singleElement().satisfies(rule -> {
                    assertThat(rule.getMatches().getFirst().getPath().getValue()).isEqualTo("/live");
                    assertThat(rule.getTimeouts().getRequest()).as("Gateway API: zero turns the timeout off")
                            .isEqualTo("0s");
                    assertThat(rule.getTimeouts().getBackendRequest()).isNull();
                });
    }

    @Test
    void theClientCallsEachApiAtTheServiceTheEdgeRoutesItsPathTo() {
        for (Skaffold.Setup setup : SKAFFOLD.setups()) {
            List<HasMetadata> objects = typed(render(setup));
            Deployment client = only(objects, Deployment.class, "client");
            Map<String, String> apiUrls = new TreeMap<>();
            client.getSpec().getTemplate().getSpec().getContainers().getFirst().getEnv().stream()
                    .filter(env -> env.getName().startsWith("TICKETING_CLIENT_APIURLS_"))
                    .forEach(env -> apiUrls.put("/api/" + env.getName().substring("TICKETING_CLIENT_APIURLS_".length())
                            .toLowerCase(), env.getValue()));
            Ingress ingress = typed(render(setup(null))).stream().filter(Ingress.class::isInstance)
                    .map(Ingress.class::cast).filter(i -> i.getMetadata().getName().equals("ticketing")).findFirst()
                    .orElseThrow();
            Map<String, String> edge = new TreeMap<>();
            ingress.getSpec().getRules().getFirst().getHttp().getPaths().stream()
                    .filter(path -> path.getPath().startsWith("/api/"))
                    .forEach(path -> edge.put(path.getPath(), "http://" + path.getBackend().getService().getName()
                            + ":" + only(objects, Service.class, path.getBackend().getService().getName()).getSpec()
                                    .getPorts().getFirst().getPort()));
            assertThat(apiUrls).as(setup.name()).isEqualTo(edge);
            assertThat(env(client, "TICKETING_CLIENT_APIURL")).as("api-url: unused once every API has its URL")
                    .isEmpty();
        }
    }

    static Container natsContainer(StatefulSet nats) {
        return nats.getSpec().getTemplate().getSpec().getContainers().getFirst();
    }

    static Optional<EnvVar> env(Deployment deployment, String name) {
        return deployment.getSpec().getTemplate().getSpec().getContainers().getFirst().getEnv().stream()
                .filter(env -> env.getName().equals(name)).findFirst();
    }

    /** The routes of cluster.conf's cluster block, in order. */
    static List<String> routes(String clusterConf) {
        Matcher block = Pattern.compile("routes:\\s*\\[([^\\]]*)\\]").matcher(clusterConf);
        assertThat(block.find()).as("cluster.conf has a routes list").isTrue();
        return Pattern.compile("nats://[^\\s,]+").matcher(block.group(1)).results().map(m -> m.group()).toList();
    }

    static String setting(String conf, String name) {
        Matcher setting = Pattern.compile("(?m)^\\s*" + name + ":\\s*(\\S+)\\s*$").matcher(conf);
        assertThat(setting.find()).as("%s is set", name).isTrue();
        return setting.group(1);
    }

    static int seconds(String duration) {
        assertThat(duration).matches("\\d+s");
        return Integer.parseInt(duration.substring(0, duration.length() - 1));
    }

    /** The production overlay (skaffold -p production), read as the cluster would receive it. */
    @Nested
    class Production {

        final List<HasMetadata> objects = typed(render(setup("production")));
        final StatefulSet nats = only(objects, StatefulSet.class, "nats");
        final String clusterConf = only(objects, ConfigMap.class, "nats-config-").getData().get("cluster.conf");

        @Test
        void runsNatsAsThreeServersRoutedToEachOtherByTheirStableNames() {
            assertThat(nats.getSpec().getReplicas()).isEqualTo(3);
            assertThat(nats.getSpec().getPodManagementPolicy()).as("all start together, or no leader is elected")
                    .isEqualTo("Parallel");
            Container container = natsContainer(nats);
            assertThat(container.getImage()).isEqualTo("nats:2.14-alpine");
            assertThat(container.getArgs()).containsExactly("-c", "/etc/nats/cluster.conf");
            ConfigMap config = only(objects, ConfigMap.class, "nats-config-");
            assertThat(config.getData().get("nats.conf")).contains("store_dir: /data", "sync_interval: always",
                    "http_port: 8222");
            assertThat(clusterConf).contains("include ./nats.conf");

            int clusterPort = Integer.parseInt(setting(clusterConf, "port"));
            assertThat(container.getPorts()).anySatisfy(port -> {
                assertThat(port.getName()).isEqualTo("cluster");
                assertThat(port.getContainerPort()).isEqualTo(clusterPort);
            });
            List<String> everyPod = IntStream.range(0, nats.getSpec().getReplicas()).mapToObj(ordinal -> "nats://"
                    + nats.getMetadata().getName() + "-" + ordinal + "." + nats.getSpec().getServiceName() + ":"
                    + clusterPort).toList();
            assertThat(routes(clusterConf)).as("a route to every pod, by its name under the governing Service")
                    .containsExactlyElementsOf(everyPod);

            assertThat(setting(clusterConf, "server_name")).isEqualTo("$POD_NAME");
            assertThat(container.getEnv()).anySatisfy(env -> {
                assertThat(env.getName()).isEqualTo("POD_NAME");
                assertThat(env.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.name");
            });
            Service service = only(objects, Service.class, "nats");
            assertThat(service.getSpec().getClusterIP()).as("per-pod DNS names").isEqualTo("None");
            assertThat(service.getSpec().getPublishNotReadyAddresses())
                    .as("routes resolve before the servers are ready").isTrue();
        }

        @Test
        void natsServersGoIntoLameDuckBeforeTheyStop() {
            String pidFile = setting(clusterConf, "pid_file");
            Container container = natsContainer(nats);
            assertThat(String.join(" ", container.getLifecycle().getPreStop().getExec().getCommand()))
                    .contains("nats-server --signal ldm=" + pidFile);
            Path pidDir = Path.of(pidFile).getParent();
            String pidVolume = container.getVolumeMounts().stream()
                    .filter(mount -> Path.of(mount.getMountPath()).equals(pidDir)).findFirst()
                    .orElseThrow(() -> new AssertionError("nothing is mounted at " + pidDir)).getName();
            assertThat(nats.getSpec().getTemplate().getSpec().getVolumes()).filteredOn(v -> v.getName().equals(pidVolume))
                    .singleElement().extracting(Volume::getEmptyDir).isNotNull();
            int lameDuck = seconds(setting(clusterConf, "lame_duck_duration"));
            assertThat(seconds(setting(clusterConf, "lame_duck_grace_period"))).isLessThan(lameDuck);
            assertThat(nats.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds())
                    .as("room for lame duck and the exit").isGreaterThanOrEqualTo(lameDuck + 15L);

            assertThat(container.getStartupProbe().getHttpGet().getPath()).isEqualTo("/healthz");
            assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/healthz?js-enabled-only=true");
            assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz?js-enabled-only=true");
        }

        @Test
        void natsServersRunOnSeparateNodesAndAreDisruptedOneAtATime() {
            TopologySpreadConstraint spread = nats.getSpec().getTemplate().getSpec().getTopologySpreadConstraints()
                    .getFirst();
            assertThat(spread.getTopologyKey()).isEqualTo("kubernetes.io/hostname");
            assertThat(spread.getWhenUnsatisfiable()).isEqualTo("DoNotSchedule");
            assertThat(spread.getMinDomains()).isEqualTo(nats.getSpec().getReplicas());
            assertThat(spread.getMaxSkew()).isEqualTo(1);
            assertThat(budgetFor(nats).getSpec().getMaxUnavailable()).isEqualTo(new IntOrString(1));
        }

        @Test
        void theServicesReachAllThreeServersAndKeepThreeCopiesOfEveryStream() {
            int clientPort = only(objects, Service.class, "nats").getSpec().getPorts().stream()
                    .filter(port -> port.getName().equals("client")).findFirst().orElseThrow().getPort();
            List<String> everyServer = IntStream.range(0, nats.getSpec().getReplicas())
                    .mapToObj(ordinal -> "nats://nats-" + ordinal + ".nats:" + clientPort).toList();
            List<String> busClients = services().stream().filter(name -> PROJECT.module(name).orElseThrow()
                    .dependencies().contains("common-events")).toList();
            assertThat(busClients).contains("tickets-service", "orders-service", "payments-service");
            for (String name : busClients) {
                Deployment service = only(objects, Deployment.class, name);
                assertThat(env(service, "NATS_URL").orElseThrow().getValue().split(",")).as(name)
                        .containsExactlyElementsOf(everyServer);
                assertThat(env(service, "TICKETING_NATS_STREAM_REPLICAS").orElseThrow().getValue()).as(name)
                        .isEqualTo(String.valueOf(nats.getSpec().getReplicas()));
            }
            assertThat(env(only(objects, Deployment.class, "auth-service"), "NATS_URL")).isEmpty();
        }

        @Test
        void everyServiceRunsTwiceUnderABudgetThatTakesOnePodAtATime() {
            List<Deployment> deployments = objects.stream().filter(Deployment.class::isInstance)
                    .map(Deployment.class::cast).toList();
            assertThat(deployments).extracting(d -> d.getMetadata().getName())
                    .containsExactlyInAnyOrderElementsOf(services());
            for (Deployment deployment : deployments) {
                assertThat(deployment.getSpec().getReplicas()).as(deployment.getMetadata().getName())
                        .isGreaterThanOrEqualTo(2);
                assertThat(budgetFor(deployment).getSpec().getMaxUnavailable()).isEqualTo(new IntOrString(1));
            }
        }

        @Test
        void shipsNoSecretAndLeavesTheJwtKeyToTheOperator() throws IOException {
            assertThat(objects).noneMatch(Secret.class::isInstance);
            assertThat(render(setup("production")).toString()).doesNotContain("development-only");
            assertThat(servicesWithTheJwtKey()).containsExactly("auth-service", "tickets-service", "orders-service",
                    "payments-service");
            for (String name : servicesWithTheJwtKey()) {
                var ref = env(only(objects, Deployment.class, name), "JWT_KEY").orElseThrow().getValueFrom()
                        .getSecretKeyRef();
                assertThat(ref.getName() + "/" + ref.getKey()).isEqualTo("jwt-key/JWT_KEY");
            }
            assertThat(env(only(objects, Deployment.class, "client"), "JWT_KEY")).as("the client forwards the cookie")
                    .isEmpty();
            assertThat(Files.readString(PROJECT.root().resolve("infra/README.md")))
                    .contains("kubectl create secret generic jwt-key --from-literal=JWT_KEY=");
        }

        @Test
        void chargesThroughStripeOnlyOnceTheOperatorCreatesTheStripeKey() {
            var ref = env(only(objects, Deployment.class, "payments-service"), "STRIPE_KEY").orElseThrow()
                    .getValueFrom().getSecretKeyRef();
            assertThat(ref.getName() + "/" + ref.getKey()).isEqualTo("stripe-key/STRIPE_KEY");
            assertThat(ref.getOptional()).as("without the Secret the pod starts, with the sandbox provider").isTrue();
        }

        PodDisruptionBudget budgetFor(HasMetadata workload) {
            var template = workload instanceof Deployment d ? d.getSpec().getTemplate()
                    : ((StatefulSet) workload).getSpec().getTemplate();
            List<PodDisruptionBudget> budgets = objects.stream().filter(PodDisruptionBudget.class::isInstance)
                    .map(PodDisruptionBudget.class::cast)
                    .filter(b -> template.getMetadata().getLabels().entrySet()
                            .containsAll(b.getSpec().getSelector().getMatchLabels().entrySet()))
                    .toList();
            assertThat(budgets).as("budgets for %s", workload.getMetadata().getName()).hasSize(1);
            return budgets.getFirst();
        }
    }

    @Test
    void theDevNatsClusterRunsTheProductionClusterButOnlyPrefersSeparateNodes() {
        List<HasMetadata> dev = typed(render(setup("nats-cluster")));
        List<HasMetadata> production = typed(render(setup("production")));
        assertThat(only(dev, ConfigMap.class, "nats-config-").getData())
                .isEqualTo(only(production, ConfigMap.class, "nats-config-").getData());
        StatefulSet nats = only(dev, StatefulSet.class, "nats");
        assertThat(nats.getSpec().getReplicas()).isEqualTo(3);
        TopologySpreadConstraint spread = nats.getSpec().getTemplate().getSpec().getTopologySpreadConstraints()
                .getFirst();
        assertThat(spread.getWhenUnsatisfiable()).as("a one-node cluster still runs all three")
                .isEqualTo("ScheduleAnyway");
        assertThat(spread.getMinDomains()).isNull();
        assertThat(env(only(dev, Deployment.class, "orders-service"), "NATS_URL"))
                .isEqualTo(env(only(production, Deployment.class, "orders-service"), "NATS_URL"));
        assertThat(only(dev, Secret.class, "jwt-key-")).isNotNull();
    }

    /**
     * The renderer is checked against the real one wherever kubectl exists (this repository's CI image has
     * it); elsewhere this one test is skipped and says so, and the others still run on the renderer alone.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("setups")
    void rendersWhatKubectlKustomizeRenders(Skaffold.Setup setup) throws Exception {
        Path kubectl = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .map(dir -> Path.of(dir, "kubectl")).filter(Files::isExecutable).findFirst().orElse(null);
        assumeTrue(kubectl != null, "kubectl is not on the PATH: the renderer is not compared with kubectl here");
        for (String path : setup.kustomizePaths()) {
            Process process = new ProcessBuilder(kubectl.toString(), "kustomize", PROJECT.root().resolve(path)
                    .toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as("kubectl kustomize %s", path).isZero();
            Map<String, ObjectNode> expected = Kustomize.byKey(Kustomize.parseAll(output));
            Map<String, ObjectNode> actual = Kustomize.byKey(Kustomize.build(PROJECT.root().resolve(path)));
            assertThat(actual.keySet()).as(path).containsExactlyInAnyOrderElementsOf(expected.keySet());
            expected.forEach((key, object) -> assertThat(actual.get(key)).as(key).isEqualTo(object));
        }
    }

    /**
     * Each check fires: a copy of a setup's rendering (the dev one unless the check needs what only another has),
     * broken in one place, must be refused.
     */
    @Nested
    class ChecksFireOnBrokenManifests {

        final Skaffold.Setup setup = setup(null);

        List<String> problemsAfter(Consumer<ArrayNode> breakIt) {
            return problemsAfter(setup, breakIt);
        }

        List<String> problemsAfter(Skaffold.Setup setup, Consumer<ArrayNode> breakIt) {
            ArrayNode copy = Kustomize.copyOf(render(setup));
            breakIt.accept(copy);
            List<ObjectNode> broken = new ArrayList<>();
            copy.forEach(node -> broken.add((ObjectNode) node));
            return ManifestChecks.check(PROJECT, setup, broken);
        }

        ObjectNode object(ArrayNode objects, String kind, String namePrefix) {
            for (JsonNode object : objects) {
                if (object.path("kind").asString().equals(kind)
                        && object.path("metadata").path("name").asString().startsWith(namePrefix)) {
                    return (ObjectNode) object;
                }
            }
            throw new AssertionError("no " + kind + " " + namePrefix);
        }

        ObjectNode container(ArrayNode objects, String kind, String name) {
            return (ObjectNode) object(objects, kind, name).at("/spec/template/spec/containers/0");
        }

        ObjectNode env(ObjectNode container, String name) {
            for (JsonNode env : container.path("env")) {
                if (env.path("name").asString().equals(name)) {
                    return (ObjectNode) env;
                }
            }
            throw new AssertionError("no env " + name);
        }

        @Test
        void theUnbrokenCopyPasses() {
            assertThat(problemsAfter(objects -> { })).isEmpty();
        }

        @Test
        void aMisspelledFieldAnywhere() {
            assertThat(problemsAfter(objects -> {
                ObjectNode c = container(objects, "Deployment", "auth-service");
                c.set("readinesProbe", c.remove("readinessProbe"));
            })).anyMatch(p -> p.contains("Deployment/auth-service") && p.contains("readinesProbe"))
                    .anyMatch(p -> p.contains("has no readinessProbe"));
            assertThat(problemsAfter(objects -> ((ObjectNode) object(objects, "Service", "nats").get("spec"))
                    .put("clusterIp", "None"))).anyMatch(p -> p.contains("Service/nats") && p.contains("clusterIp"));
            assertThat(problemsAfter(objects -> ((ObjectNode) object(objects, "StatefulSet", "nats")
                    .at("/spec/template/spec/containers/0/livenessProbe/httpGet")).put("paht", "/healthz")))
                    .anyMatch(p -> p.contains("livenessProbe.httpGet: unknown field(s) [paht]"));
        }

        @Test
        void anUnknownKind() {
            assertThat(problemsAfter(objects -> object(objects, "Deployment", "orders-service")
                    .put("kind", "Deploymnet"))).anyMatch(p -> p.contains("Deploymnet/orders-service")
                            && p.contains("not a kind the test knows"));
        }

        @Test
        void aServiceSelectorMatchingNoWorkloadOrSeveral() {
            assertThat(problemsAfter(objects -> ((ObjectNode) object(objects, "Service", "tickets-service")
                    .at("/spec/selector")).put("app.kubernetes.io/name", "ticket-service")))
                    .anyMatch(p -> p.contains("Service/tickets-service") && p.contains("matches no workload"));
            assertThat(problemsAfter(objects -> ((ObjectNode) object(objects, "Service", "auth-mongo")
                    .at("/spec/selector")).remove("app.kubernetes.io/instance")))
                    .anyMatch(p -> p.contains("Service/auth-mongo")
                            && p.contains("matches " + servicesWithADatabase().size() + " workloads"));
            assertThat(problemsAfter(objects -> ((ObjectNode) object(objects, "Service", "nats")
                    .at("/spec/ports/1")).put("targetPort", "monitoring")))
                    .anyMatch(p -> p.contains("Service/nats: port monitor targets monitoring"));
        }

        @Test
        void anIngressOrHttpRouteBackendNamingAMissingServiceOrPort() {
            assertThat(problemsAfter(objects -> ((ObjectNode) object(objects, "Ingress", "ticketing")
                    .at("/spec/rules/0/http/paths/2/backend/service")).put("name", "order-service")))
                    .anyMatch(p -> p.contains("routes to Service order-service, which does not exist"));
            assertThat(problemsAfter(objects -> ((ObjectNode) object(objects, "Ingress", "ticketing")
                    .at("/spec/rules/0/http/paths/0/backend/service/port")).put("name", "htp")))
                    .anyMatch(p -> p.contains("routes to port htp of Service auth-service"));
            assertThat(problemsAfter(objects -> ((ObjectNode) object(objects, "Ingress", "ticketing").get("metadata"))
                    .putObject("annotations").put("traefik.ingress.kubernetes.io/router.entrypoints", "websecure")))
                    .anyMatch(p -> p.contains("tie it to one controller"));

            Skaffold.Setup gateway = setup("gateway-api");
            ArrayNode copy = Kustomize.copyOf(render(gateway));
            ((ObjectNode) object(copy, "HTTPRoute", "ticketing").at("/spec/rules/1/backendRefs/0")).put("port", 3001);
            ((ObjectNode) object(copy, "HTTPRoute", "ticketing").at("/spec/rules/2/backendRefs/0"))
                    .put("name", "billing-service");
            ((ObjectNode) object(copy, "HTTPRoute", "ticketing").at("/spec/parentRefs/0")).put("sectionName", "http");
            List<ObjectNode> broken = new ArrayList<>();
            copy.forEach(node -> broken.add((ObjectNode) node));
            assertThat(ManifestChecks.check(PROJECT, gateway, broken))
                    .anyMatch(p -> p.contains("backend Service tickets-service has no port 3001"))
                    .anyMatch(p -> p.contains("backend Service billing-service does not exist"))
                    .anyMatch(p -> p.contains("Gateway ticketing has no listener http"));
        }

        @Test
        void anEventStreamRouteThatBuffersTimesOutOrReachesTheApis() {
            assertThat(problemsAfter(objects -> ((ObjectNode) object(objects, "Ingress", "ticketing").get("metadata"))
                    .set("annotations", object(objects, "Ingress", "ticketing-live").at("/metadata/annotations"))))
                    .anyMatch(p -> p.contains("Ingress/ticketing: its event stream annotations (no buffering, long "
                            + "timeouts) would reach [/api/users, /api/tickets, /api/orders, /api/payments, /]"));
            assertThat(problemsAfter(objects -> ((ObjectNode) object(objects, "Ingress", "ticketing-live")
                    .get("metadata")).remove("annotations")))
                    .anyMatch(p -> p.contains("no Ingress routes /live with the event stream annotations"));
            assertThat(problemsAfter(objects -> ((ObjectNode) object(objects, "Ingress", "ticketing-live")
                    .at("/metadata/annotations")).put("nginx.ingress.kubernetes.io/proxy-buffering", "on")))
                    .anyMatch(p -> p.contains("Ingress/ticketing-live: the event stream's annotations must be exactly"))
                    .anyMatch(p -> p.contains("no Ingress routes /live"));

            Skaffold.Setup gateway = setup("gateway-api");
            assertThat(problemsAfter(gateway, objects -> {
                for (JsonNode rule : object(objects, "HTTPRoute", "ticketing").at("/spec/rules")) {
                    ((ObjectNode) rule).remove("timeouts");
                }
            })).anyMatch(p -> p.contains("HTTPRoute/ticketing: the rule for /live has request timeout (the "
                    + "implementation's default)"));
            assertThat(problemsAfter(gateway, objects -> {
                ArrayNode rules = (ArrayNode) object(objects, "HTTPRoute", "ticketing").at("/spec/rules");
                for (int i = rules.size() - 1; i >= 0; i--) {
                    if (rules.get(i).has("timeouts")) {
                        rules.remove(i);
                    }
                }
            })).anyMatch(p -> p.contains("HTTPRoute/ticketing: no rule of its own for /live"));
        }

        @Test
        void aClientApiUrlNamingNoService() {
            assertThat(problemsAfter(objects -> env(container(objects, "Deployment", "client"),
                    "TICKETING_CLIENT_APIURLS_ORDERS").put("value", "http://order-service:3000")))
                    .anyMatch(p -> p.contains("TICKETING_CLIENT_APIURLS_ORDERS points at order-service:3000, which no "
                            + "Service serves"));
            assertThat(problemsAfter(objects -> env(container(objects, "Deployment", "client"),
                    "TICKETING_CLIENT_APIURLS_USERS").put("value", "http://auth-service")))
                    .anyMatch(p -> p.contains("points at auth-service:80, which no Service serves"));
        }

        @Test
        void aSecretKeyRefToASecretTheOverlayDoesNotGenerate() {
            assertThat(problemsAfter(objects -> ((ObjectNode) env(container(objects, "Deployment", "auth-service"),
                    "JWT_KEY").at("/valueFrom/secretKeyRef")).put("name", "jwt-secret")))
                    .anyMatch(p -> p.contains("JWT_KEY comes from Secret jwt-secret, which the overlay does not "
                            + "generate"));
            assertThat(problemsAfter(objects -> ((ObjectNode) env(container(objects, "Deployment", "orders-service"),
                    "JWT_KEY").at("/valueFrom/secretKeyRef")).put("key", "jwt-key")))
                    .anyMatch(p -> p.contains("which has no such key"));
            assertThat(problemsAfter(objects -> objects.remove(indexOf(objects,
                    object(objects, "Secret", "jwt-key-")))))
                    .filteredOn(p -> p.contains("JWT_KEY comes from Secret jwt-key-")
                            && p.contains("which the overlay does not generate"))
                    .hasSize(servicesWithTheJwtKey().size());

            Skaffold.Setup production = setup("production");
            assertThat(problemsAfter(production, objects -> { })).isEmpty();
            assertThat(problemsAfter(production, objects -> ((ObjectNode) env(container(objects, "Deployment",
                    "auth-service"), "JWT_KEY").at("/valueFrom/secretKeyRef")).put("name", "jwt-secret")))
                    .anyMatch(p -> p.contains("JWT_KEY comes from Secret jwt-secret, which the overlay does not "
                            + "generate"));
            assertThat(problemsAfter(production, objects -> ((ObjectNode) env(container(objects, "Deployment",
                    "orders-service"), "JWT_KEY").at("/valueFrom/secretKeyRef")).put("key", "KEY")))
                    .anyMatch(p -> p.contains("comes from key KEY of Secret jwt-key, but the operator is told to set "
                            + "[JWT_KEY]"));
        }

        @Test
        void anOptionalSecretReferenceThatIsNotOptionalOrNamesWhatTheReadmeDoesNotCreate() {
            assertThat(problemsAfter(objects -> ((ObjectNode) env(container(objects, "Deployment", "payments-service"),
                    "STRIPE_KEY").at("/valueFrom/secretKeyRef")).remove("optional")))
                    .anyMatch(p -> p.contains("STRIPE_KEY comes from Secret stripe-key, which exists only when the "
                            + "operator wants it: mark the reference optional: true"));
            assertThat(problemsAfter(objects -> ((ObjectNode) env(container(objects, "Deployment", "payments-service"),
                    "STRIPE_KEY").at("/valueFrom/secretKeyRef")).put("key", "key")))
                    .anyMatch(p -> p.contains("comes from key key of Secret stripe-key, but the operator is told "
                            + "to set [STRIPE_KEY]"));
            assertThat(problemsAfter(objects -> ((ObjectNode) env(container(objects, "Deployment", "payments-service"),
                    "STRIPE_KEY").at("/valueFrom/secretKeyRef")).put("name", "stripe")))
                    .anyMatch(p -> p.contains("STRIPE_KEY comes from optional Secret stripe, which the overlay does "
                            + "not generate and the README does not tell how to create"));
            assertThat(problemsAfter(setup("production"), objects -> ((ObjectNode) env(container(objects,
                    "Deployment", "payments-service"), "STRIPE_KEY").at("/valueFrom/secretKeyRef")).remove("optional")))
                    .anyMatch(p -> p.contains("mark the reference optional: true"));
        }

        @Test
        void aWorkloadWithoutProbesOrAnEqualMemoryRequestAndLimit() {
            assertThat(problemsAfter(objects -> container(objects, "StatefulSet", "tickets-mongo")
                    .remove(List.of("startupProbe", "livenessProbe"))))
                    .anyMatch(p -> p.contains("StatefulSet/tickets-mongo container mongo has no startupProbe"))
                    .anyMatch(p -> p.contains("StatefulSet/tickets-mongo container mongo has no livenessProbe"));
            assertThat(problemsAfter(objects -> ((ObjectNode) container(objects, "Deployment", "tickets-service")
                    .at("/resources")).remove("limits")))
                    .anyMatch(p -> p.contains("tickets-service has no memory limit"));
            assertThat(problemsAfter(objects -> ((ObjectNode) container(objects, "StatefulSet", "nats")
                    .at("/resources/requests")).put("memory", "128Mi")))
                    .anyMatch(p -> p.contains("memory request 128Mi differs from its limit 256Mi"));
            assertThat(problemsAfter(objects -> ((ObjectNode) container(objects, "Deployment", "auth-service")
                    .at("/readinessProbe/httpGet")).put("port", "web")))
                    .anyMatch(p -> p.contains("readinessProbe probes port web"));
            assertThat(problemsAfter(objects -> ((ObjectNode) container(objects, "Deployment", "auth-service")
                    .at("/readinessProbe/httpGet")).put("path", "/actuator/health")))
                    .anyMatch(p -> p.contains("readinessProbe must be an HTTP GET of /actuator/health/readiness"));
        }

        @Test
        void anImageNoSkaffoldArtifactBuilds() {
            assertThat(problemsAfter(objects -> container(objects, "Deployment", "orders-service")
                    .put("image", "ticketing/order-service")))
                    .anyMatch(p -> p.contains("image ticketing/order-service is built by no skaffold artifact"))
                    .anyMatch(p -> p.contains("skaffold builds ticketing/orders-service, but no manifest runs it"));
            assertThat(problemsAfter(objects -> container(objects, "StatefulSet", "auth-mongo").put("image", "mongo")))
                    .anyMatch(p -> p.contains("third-party image mongo needs a pinned tag"));
            assertThat(problemsAfter(objects -> container(objects, "StatefulSet", "nats")
                    .put("image", "bitnami/nats:2.14"))).anyMatch(p -> p.contains("image bitnami/nats:2.14 is built"));
        }

        @Test
        void aSkaffoldArtifactWhoseModuleDoesNotExist() {
            Skaffold.Artifact orders = SKAFFOLD.config().build().artifacts().get(2);
            Skaffold broken = SKAFFOLD.withArtifact(2, new Skaffold.Artifact(orders.image(), orders.context(),
                    new Skaffold.Jib("order-service", null, null, null)));
            Skaffold.Setup brokenSetup = broken.setups().getFirst();
            assertThat(ManifestChecks.check(PROJECT, brokenSetup, render(brokenSetup)))
                    .anyMatch(p -> p.contains("module order-service does not exist (no order-service/pom.xml)"));

            Skaffold renamed = SKAFFOLD.withArtifact(0, new Skaffold.Artifact("ticketing/auth",
                    ".", new Skaffold.Jib("auth-service", null, null, null)));
            Skaffold.Setup renamedSetup = renamed.setups().getFirst();
            assertThat(ManifestChecks.check(PROJECT, renamedSetup, render(renamedSetup)))
                    .anyMatch(p -> p.contains("Jib names module auth-service's image ticketing/auth-service"));
        }

        @Test
        void aMisspelledSkaffoldField() throws IOException {
            String yaml = Files.readString(PROJECT.root().resolve("skaffold.yaml"));
            assertThatThrownBy(() -> Skaffold.parse(yaml.replace("resourceName:", "resourceNme:")))
                    .hasMessageContaining("resourceNme");
            assertThatThrownBy(() -> Skaffold.parse(yaml.replace("      jib:", "      jibb:")))
                    .hasMessageContaining("jibb");
        }

        @Test
        void anEnvironmentVariableTheServiceDoesNotRead() {
            assertThat(problemsAfter(objects -> env(container(objects, "Deployment", "auth-service"),
                    "SPRING_MONGODB_URI").put("name", "SPRING_DATA_MONGODB_URI")))
                    .anyMatch(p -> p.contains("sets SPRING_DATA_MONGODB_URI, which auth-service does not read"));
            assertThat(problemsAfter(objects -> ((ArrayNode) container(objects, "Deployment", "auth-service")
                    .get("env")).addObject().put("name", "NATS_URL").put("value", "nats://nats:4222")))
                    .anyMatch(p -> p.contains("sets NATS_URL, which auth-service does not read"));
            assertThat(problemsAfter(objects -> ((ArrayNode) container(objects, "Deployment", "orders-service")
                    .get("env")).addObject().put("name", "STRIPE_KEY").put("value", "sk_test_x")))
                    .anyMatch(p -> p.contains("sets STRIPE_KEY, which orders-service does not read"));
            assertThat(problemsAfter(objects -> ((ArrayNode) container(objects, "Deployment", "orders-service")
                    .get("env")).addObject().put("name", "ORDER_EXPIRATION").put("value", "PT1M"))).isEmpty();
        }

        @Test
        void anEnvironmentVariableRepeatingTheServiceDefault() {
            assertThat(problemsAfter(objects -> ((ArrayNode) container(objects, "Deployment", "tickets-service")
                    .get("env")).addObject().put("name", "SERVER_PORT").put("value", "3000")))
                    .anyMatch(p -> p.contains("SERVER_PORT=3000 repeats the service's own default"));
            assertThat(problemsAfter(objects -> ((ArrayNode) container(objects, "Deployment", "orders-service")
                    .get("env")).addObject().put("name", "ORDER_EXPIRATION").put("value", "PT15M")))
                    .anyMatch(p -> p.contains("ORDER_EXPIRATION=PT15M repeats the service's own default"));
            assertThat(problemsAfter(objects -> ((ArrayNode) container(objects, "Deployment", "auth-service")
                    .get("env")).addObject().put("name", "TICKETING_SECURITY_COOKIESECURE").put("value", "true")))
                    .anyMatch(p -> p.contains("TICKETING_SECURITY_COOKIESECURE=true repeats"));
        }

        @Test
        void aConnectionUriNamingNoService() {
            assertThat(problemsAfter(objects -> env(container(objects, "Deployment", "tickets-service"), "NATS_URL")
                    .put("value", "nats://nats-server:4222")))
                    .anyMatch(p -> p.contains("NATS_URL points at nats-server:4222, which no Service serves"));
            assertThat(problemsAfter(objects -> env(container(objects, "Deployment", "orders-service"),
                    "SPRING_MONGODB_URI").put("value", "mongodb://orders-mongo:27018/orders")))
                    .anyMatch(p -> p.contains("points at orders-mongo:27018"));
        }

        @Test
        void aServerListNamingAPodNoStatefulSetRuns() {
            Skaffold.Setup cluster = setup("nats-cluster");
            assertThat(problemsAfter(cluster, objects -> {
                ObjectNode url = env(container(objects, "Deployment", "tickets-service"), "NATS_URL");
                url.put("value", url.get("value").asString() + ",nats://nats-3.nats:4222");
            })).anyMatch(p -> p.contains("NATS_URL points at pod nats-3, but StatefulSet/nats runs 3 pod(s)"));
            assertThat(problemsAfter(cluster, objects -> env(container(objects, "Deployment", "orders-service"),
                    "NATS_URL").put("value", "nats://nats-0.nats:4222,nats://natz-1.nats:4222")))
                    .anyMatch(p -> p.contains("points at pod natz-1, which no StatefulSet governed by Service nats"));
            assertThat(problemsAfter(cluster, objects -> env(container(objects, "Deployment", "orders-service"),
                    "NATS_URL").put("value", "nats://nats-0.nats:4222,nats://nats-1.nats:6223")))
                    .anyMatch(p -> p.contains("NATS_URL points at nats-1.nats:6223, which no Service serves"));
            assertThat(problemsAfter(cluster, objects -> ((ObjectNode) object(objects, "Service", "nats")
                    .get("spec")).remove("clusterIP")))
                    .anyMatch(p -> p.contains("names pod nats-0 through Service nats, which is not headless"));
            assertThat(problemsAfter(objects -> env(container(objects, "Deployment", "tickets-service"), "NATS_URL")
                    .put("value", "nats://nats-1.nats.ticketing.svc.cluster.local:4222")))
                    .anyMatch(p -> p.contains("points at pod nats-1, but StatefulSet/nats runs 1 pod(s)"));
        }

        @Test
        void aDisruptionBudgetSelectingNoPodsOrBlockingEveryDrain() {
            Skaffold.Setup cluster = setup("nats-cluster");
            assertThat(problemsAfter(cluster, objects -> ((ObjectNode) object(objects, "PodDisruptionBudget",
                    "nats").at("/spec/selector/matchLabels")).put("app.kubernetes.io/name", "nats-server")))
                    .anyMatch(p -> p.contains("PodDisruptionBudget/nats: selector")
                            && p.contains("matches no workload's pods"));
            assertThat(problemsAfter(cluster, objects -> ((ObjectNode) object(objects, "PodDisruptionBudget",
                    "nats").at("/spec/selector/matchLabels")).remove("app.kubernetes.io/name")))
                    .anyMatch(p -> p.contains("PodDisruptionBudget/nats: selector {} matches no workload's pods"));
            assertThat(problemsAfter(cluster, objects -> {
                ObjectNode spec = (ObjectNode) object(objects, "PodDisruptionBudget", "nats").get("spec");
                spec.remove("maxUnavailable");
                spec.put("minAvailable", 3);
            })).anyMatch(p -> p.contains("PodDisruptionBudget/nats: minAvailable 3 with 3 replica(s) of "
                    + "StatefulSet/nats lets no pod be evicted"));
            assertThat(problemsAfter(cluster, objects -> ((ObjectNode) object(objects, "PodDisruptionBudget",
                    "nats").get("spec")).put("minAvailable", "50%")))
                    .anyMatch(p -> p.contains("PodDisruptionBudget/nats: set exactly one of"));
            assertThat(problemsAfter(cluster, objects -> ((ObjectNode) object(objects, "StatefulSet", "nats")
                    .get("spec")).put("replicas", 1)))
                    .as("maxUnavailable lets a drain through even when scaled down to one")
                    .noneMatch(p -> p.contains("PodDisruptionBudget/nats"));
        }

        @Test
        void aTopologySpreadCountingOtherPodsOrContradictingItself() {
            Skaffold.Setup cluster = setup("nats-cluster");
            assertThat(problemsAfter(cluster, objects -> ((ObjectNode) object(objects, "StatefulSet", "nats")
                    .at("/spec/template/spec/topologySpreadConstraints/0/labelSelector/matchLabels"))
                    .put("app.kubernetes.io/name", "nats-server")))
                    .anyMatch(p -> p.contains("StatefulSet/nats: topologySpreadConstraint over kubernetes.io/hostname "
                            + "counts pods"));
            assertThat(problemsAfter(cluster, objects -> ((ObjectNode) object(objects, "StatefulSet", "nats")
                    .at("/spec/template/spec/topologySpreadConstraints/0")).put("minDomains", 3)))
                    .anyMatch(p -> p.contains("minDomains applies only with whenUnsatisfiable DoNotSchedule"));
            assertThat(problemsAfter(cluster, objects -> ((ObjectNode) object(objects, "StatefulSet", "nats")
                    .at("/spec/template/spec/topologySpreadConstraints/0")).put("whenUnsatisfiable", "DoNotScheduleAnyway")))
                    .anyMatch(p -> p.contains("whenUnsatisfiable DoNotScheduleAnyway is neither"));
        }

        @Test
        void aMissingLabelOrVolume() {
            assertThat(problemsAfter(objects -> ((ObjectNode) object(objects, "Service", "nats").at("/metadata/labels"))
                    .remove(ManifestChecks.PART_OF))).anyMatch(p -> p.contains("Service/nats has no"));
            assertThat(problemsAfter(objects -> ((ObjectNode) container(objects, "StatefulSet", "nats")
                    .at("/volumeMounts/1")).put("name", "store")))
                    .anyMatch(p -> p.contains("mounts store, which is no volume"))
                    .anyMatch(p -> p.contains("volumeClaimTemplate data is mounted by no container"));
        }

        int indexOf(ArrayNode objects, ObjectNode object) {
            for (int i = 0; i < objects.size(); i++) {
                if (objects.get(i) == object) {
                    return i;
                }
            }
            throw new AssertionError("not in the list: " + Kustomize.key(object));
        }

    }

    @Test
    void connectionUrisAreReadAsListsOfServers() {
        assertThat(ManifestChecks.endpoints("nats://nats-0.nats:4222,nats://nats-1.nats"))
                .containsExactly(new ManifestChecks.Endpoint("nats-0.nats", 4222),
                        new ManifestChecks.Endpoint("nats-1.nats", 4222));
        assertThat(ManifestChecks.endpoints("mongodb://user:pw@a-0.a:27018,a-1.a/orders?replicaSet=rs0"))
                .containsExactly(new ManifestChecks.Endpoint("a-0.a", 27018), new ManifestChecks.Endpoint("a-1.a", 27017));
        assertThat(ManifestChecks.endpoints("-XX:MaxRAMPercentage=75")).isEmpty();
    }

    @Test
    void theRendererRefusesKustomizeFeaturesItDoesNotImplement(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("kustomization.yaml"), """
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                commonLabels:
                  app: ticketing
                """);
        assertThatThrownBy(() -> Kustomize.build(dir)).hasMessageContaining("'commonLabels' is not supported");
    }

    @Test
    void theRendererHashesGeneratedNamesLikeKustomize() {
        // Names and hashes printed by kubectl kustomize (kustomize v5.5.0) for these exact inputs.
        ObjectNode secret = Kustomize.YAML.createObjectNode().put("apiVersion", "v1").put("kind", "Secret")
                .put("type", "Opaque");
        secret.putObject("metadata").put("name", "jwt-key");
        secret.putObject("data").put("JWT_KEY", Kustomize.kustomizeBase64(
                "development-only-jwt-key-never-use-outside-a-local-cluster"));
        assertThat(Kustomize.contentHash(secret)).isEqualTo("f842b55546");
        assertThat(secret.at("/data/JWT_KEY").asString()).isEqualTo(
                "ZGV2ZWxvcG1lbnQtb25seS1qd3Qta2V5LW5ldmVyLXVzZS1vdXRzaWRlLWEtbG9jYWwtY2\nx1c3Rlcg==\n");
    }
}
