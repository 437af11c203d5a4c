package dev.ticketing.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The part of skaffold's {@code skaffold/v4beta14} schema that skaffold.yaml uses, as records: a field the
 * schema has but these records lack fails the test as unknown (add it here after checking the schema), and so
 * does a typo. {@link #setups()} resolves each profile the way skaffold does: the profile's fields replace the
 * pipeline's, then its JSON patches apply.
 */
final class Skaffold {

    static final String SCHEMA = "skaffold/v4beta14";
    private static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    record Config(String apiVersion, String kind, Metadata metadata, Build build, Manifests manifests,
            Deploy deploy, List<PortForward> portForward, List<Profile> profiles) {
    }

    record Metadata(String name) {
    }

    record Build(List<Artifact> artifacts) {
    }

    record Artifact(String image, String context, Jib jib) {
    }

    record Jib(String project, List<String> args, String type, String fromImage) {
    }

    record Manifests(Kustomize kustomize) {
    }

    record Kustomize(List<String> paths, List<String> buildArgs) {
    }

    record Deploy(Kubectl kubectl) {
    }

    record Kubectl(List<String> remoteManifests, String defaultNamespace) {
    }

    record PortForward(String resourceType, String resourceName, String namespace, JsonNode port, String address,
            Integer localPort) {
    }

    record Profile(String name, List<Activation> activation, Build build, Manifests manifests, Deploy deploy,
            List<PortForward> portForward, List<JsonNode> patches) {
    }

    /** When skaffold turns a profile on by itself: {@code command: dev} for every {@code skaffold dev}. */
    record Activation(String env, String kubeContext, String command) {
    }

    /** One way to run skaffold: the default pipeline ({@code profile} null) or one profile applied to it. */
    record Setup(String profile, Config config) {
        String name() {
            return profile == null ? "default" : "profile " + profile;
        }

        List<Artifact> artifacts() {
            return config.build() == null || config.build().artifacts() == null ? List.of()
                    : config.build().artifacts();
        }

        List<String> kustomizePaths() {
            return config.manifests() == null || config.manifests().kustomize() == null
                    || config.manifests().kustomize().paths() == null ? List.of()
                            : config.manifests().kustomize().paths();
        }

        List<PortForward> portForwards() {
            return config.portForward() == null ? List.of() : config.portForward();
        }
    }

    private final ObjectNode tree;
    private final Config config;

    private Skaffold(ObjectNode tree) {
        this.tree = tree;
        this.config = YAML.treeToValue(tree, Config.class);
    }

    static Skaffold read(Path file) {
        try {
            return parse(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Skaffold parse(String yaml) {
        return new Skaffold((ObjectNode) YAML.readTree(yaml));
    }

    Config config() {
        return config;
    }

    List<Setup> setups() {
        List<Setup> setups = new ArrayList<>();
        setups.add(new Setup(null, withoutProfiles(tree)));
        for (JsonNode profile : tree.path("profiles")) {
            ObjectNode applied = tree.deepCopy();
            applied.remove("profiles");
            for (String field : List.of("build", "manifests", "deploy", "portForward")) {
                if (profile.has(field) && !profile.get(field).isNull()) {
                    applied.set(field, profile.get(field).deepCopy());
                }
            }
            if (profile.has("patches") && !profile.get("patches").isNull()) {
                JsonPatch.apply(profile.get("patches"), applied);
            }
            setups.add(new Setup(profile.path("name").asString(), YAML.treeToValue(applied, Config.class)));
        }
        return setups;
    }

    private static Config withoutProfiles(ObjectNode tree) {
        ObjectNode copy = tree.deepCopy();
        copy.remove("profiles");
        return YAML.treeToValue(copy, Config.class);
    }

    /** A copy with one artifact replaced: for the tests that prove the checks fire. */
    Skaffold withArtifact(int index, Artifact artifact) {
        List<Artifact> artifacts = new ArrayList<>(config.build().artifacts());
        artifacts.set(index, artifact);
        ObjectNode copy = tree.deepCopy();
        ((ObjectNode) copy.get("build")).set("artifacts", YAML.valueToTree(artifacts));
        return new Skaffold(copy);
    }
}
