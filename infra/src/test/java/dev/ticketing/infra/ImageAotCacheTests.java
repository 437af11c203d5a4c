package dev.ticketing.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The services' images start from a JDK AOT cache (infra/README.md, "Start-up: the AOT cache"): checked here on the
 * build configuration, offline. Building an image needs its base image from a registry, so the image tarball itself
 * is not built in {@code verify}; the README says how it was checked by hand.
 */
class ImageAotCacheTests {

    private static final Project PROJECT = KubernetesManifestsTests.PROJECT;
    private static final String CACHE_IN_IMAGE = "/app/aot/app.aot";

    @Test
    void everyImageRunsWithTheCacheItsTrainingRunWrites() {
        assertThat(jibFlags()).contains("-XX:AOTCache=" + CACHE_IN_IMAGE);
        List<String> arguments = PROJECT.pluginValues("exec-maven-plugin", "executions", "execution", "configuration",
                "arguments", "argument");
        String written = arguments.getLast();
        assertThat(written).isEqualTo("${project.build.directory}/aot-cache/app.aot");
        assertThat(PROJECT.jibConfiguration("extraDirectories", "paths", "path", "from"))
                .contains("${project.build.directory}/aot-cache");
        assertThat(PROJECT.jibConfiguration("extraDirectories", "paths", "path", "into")
                .map(into -> into + "/" + Path.of(written).getFileName())).contains(CACHE_IN_IMAGE);
        assertThat(arguments).contains("${maven.multiModuleProjectDirectory}/infra/aot/AotCacheTraining.java",
                "${start-class}", "${aot.cache.skip}", "${aot.cache.jvm}");
        assertThat(PROJECT.root().resolve("infra/aot/AotCacheTraining.java")).isRegularFile();
    }

    /** An AOT cache cannot hold classes from directories: the image must carry the module as a jar. */
    @Test
    void imagesCarryTheModuleAsAJarWithJibsFileTimes() throws Exception {
        assertThat(PROJECT.jibConfiguration("containerizingMode")).contains("packaged");
        // The training run dates its copies as Jib does by default (1970-01-01T00:00:01Z); the JVM checks jar times.
        assertThat(PROJECT.jibConfiguration("container", "filesModificationTime")).isEmpty();
        assertThat(Files.readString(PROJECT.root().resolve("infra/aot/AotCacheTraining.java")))
                .contains("FileTime.fromMillis(1000)", "\"app/classpath\"", "\"app/libs\"", ".original.jar");
    }

    @Test
    void everyServiceModuleTrainsItsCache() {
        for (String name : PROJECT.modules()) {
            Project.Module module = PROJECT.module(name).orElseThrow();
            if (module.properties().containsKey("start-class")) {
                assertThat(module.plugins()).as("plugins of %s", name)
                        .contains("spring-boot-maven-plugin", "maven-dependency-plugin", "exec-maven-plugin");
                // Repackaging first: the training run takes the thin jar Jib also takes, <finalName>.jar.original.
                assertThat(module.plugins().indexOf("exec-maven-plugin"))
                        .isGreaterThan(module.plugins().indexOf("spring-boot-maven-plugin"));
            }
        }
    }

    /** Spring AOT (README, "Start-up"): each service's bean definitions are made at build time and used at run time. */
    @Test
    void everyServiceIsAotProcessedAndStartsFromItsGeneratedContext() throws Exception {
        for (String name : PROJECT.modules()) {
            if (PROJECT.module(name).orElseThrow().properties().containsKey("start-class")) {
                assertThat(PROJECT.moduleValues(name, "build", "plugins", "plugin", "executions", "execution", "goals",
                        "goal")).as("goals of %s", name).contains("process-aot");
            }
        }
        assertThat(jibFlags()).contains("-Dspring.aot.enabled=true");
        // The training run must load the classes the image's JVM loads, the generated ones included.
        assertThat(Files.readString(PROJECT.root().resolve("infra/aot/AotCacheTraining.java")))
                .contains("\"-Dspring.aot.enabled=true\"");
    }

    /** The cache is valid only on the JVM build and runtime image (its lib/modules) that made it. */
    @Test
    void baseImageIsTheJdkReleaseThatMakesTheCache() {
        String baseImage = PROJECT.resolve(PROJECT.jibConfiguration("from", "image").orElseThrow());
        String jvm = PROJECT.resolve("${aot.cache.jvm}");
        Matcher release = Pattern.compile("Temurin-(\\d+\\.\\d+\\.\\d+)\\+(\\d+)").matcher(jvm);
        assertThat(release.matches()).as("aot.cache.jvm %s", jvm).isTrue();
        assertThat(baseImage).isEqualTo("eclipse-temurin:" + release.group(1) + "_" + release.group(2) + "-jdk");
        // A build on another release skips the cache instead of shipping one the image's JVM would reject.
        assertThat(PROJECT.rootValues("profiles", "profile", "activation", "jdk")).containsExactly("!" + release.group(1));
    }

    @Test
    void skippingTheCacheStartsTheImageWithItOff() {
        assertThat(PROJECT.rootValues("profiles", "profile", "activation", "property", "name"))
                .containsExactly("aot.cache.skip");
        assertThat(PROJECT.rootValues("profiles", "profile", "properties", "aot.cache.jvmFlag"))
                .hasSize(2).containsOnly("-XX:AOTMode=off");
        assertThat(PROJECT.rootValues("profiles", "profile", "properties", "aot.cache.skip")).containsExactly("true");
    }

    /** The training run costs each rebuild more than the cache saves a restarted pod: only skaffold dev skips it. */
    @Test
    void skaffoldDevSkipsTheCacheAndEveryOtherSetupKeepsIt() {
        for (Skaffold.Setup setup : KubernetesManifestsTests.SKAFFOLD.setups()) {
            boolean devLoop = "dev-without-aot-cache".equals(setup.profile());
            for (Skaffold.Artifact artifact : setup.artifacts()) {
                List<String> args = artifact.jib().args() == null ? List.of() : artifact.jib().args();
                assertThat(args.contains("-Daot.cache.skip")).as("%s, %s", setup.name(), artifact.image())
                        .isEqualTo(devLoop);
            }
        }
        assertThat(KubernetesManifestsTests.SKAFFOLD.config().profiles()).filteredOn(
                profile -> profile.activation() != null).singleElement().satisfies(profile -> {
                    assertThat(profile.name()).isEqualTo("dev-without-aot-cache");
                    assertThat(profile.activation()).extracting(Skaffold.Activation::command).containsExactly("dev");
                });
    }

    private static List<String> jibFlags() {
        return PROJECT.pluginValues("jib-maven-plugin", "configuration", "container", "jvmFlags", "jvmFlag").stream()
                .map(PROJECT::resolve).toList();
    }
}
