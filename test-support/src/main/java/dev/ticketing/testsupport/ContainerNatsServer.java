package dev.ticketing.testsupport;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports.Binding;
import java.net.URI;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * NATS in a container. Host ports are fixed when the container is created so that a stopped and
 * restarted container answers on the same address, as a restarted server process would.
 */
final class ContainerNatsServer implements NatsServer {

    private static final Logger log = LoggerFactory.getLogger(ContainerNatsServer.class);
    static final DockerImageName IMAGE = DockerImageName.parse("nats:2.14-alpine");

    private final GenericContainer<?> container;
    private final int clientPort;
    private final int monitorPort;

    private ContainerNatsServer(int clientPort, int monitorPort) {
        this.clientPort = clientPort;
        this.monitorPort = monitorPort;
        this.container = new GenericContainer<>(IMAGE)
                .withCommand("-js", "-sd", "/data", "-m", "8222")
                .withExposedPorts(4222, 8222)
                .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withPortBindings(
                        new PortBinding(Binding.bindIpAndPort("127.0.0.1", clientPort), ExposedPort.tcp(4222)),
                        new PortBinding(Binding.bindIpAndPort("127.0.0.1", monitorPort), ExposedPort.tcp(8222))))
                .waitingFor(Wait.forHttp("/healthz?js-enabled-only=true").forPort(8222));
    }

    static ContainerNatsServer launch() {
        ContainerNatsServer server = new ContainerNatsServer(Ports.freeLoopbackPort(), Ports.freeLoopbackPort());
        server.container.start();
        log.info("NATS container {} is ready at {}", IMAGE, server.url());
        return server;
    }

    @Override
    public String url() {
        return "nats://127.0.0.1:" + clientPort;
    }

    @Override
    public ServerMode mode() {
        return ServerMode.CONTAINERS;
    }

    @Override
    public void stop() {
        docker().stopContainerCmd(container.getContainerId()).withTimeout(10).exec();
    }

    @Override
    public void kill() {
        docker().killContainerCmd(container.getContainerId()).exec();
    }

    @Override
    public void start() {
        docker().startContainerCmd(container.getContainerId()).exec();
        URI health = URI.create("http://127.0.0.1:" + monitorPort + "/healthz?js-enabled-only=true");
        if (!HttpProbe.awaitOk(health, Duration.ofSeconds(30), container::isRunning)) {
            throw new IllegalStateException(health + " did not answer 200 within 30 s. " + container.getLogs());
        }
    }

    @Override
    public void close() {
        container.stop();
    }

    private DockerClient docker() {
        return container.getDockerClient();
    }

    @Override
    public void wipeStore() {
        throw new UnsupportedOperationException("Cannot wipe the store of a NATS container (it keeps it inside"
                + " itself): run store-loss tests in the embedded mode (TICKETING_TEST_SERVERS=embedded)");
    }
}
