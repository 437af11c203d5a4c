package dev.ticketing.testsupport.service;

import dev.ticketing.testsupport.NatsServer;
import dev.ticketing.testsupport.TestServers;
import java.lang.reflect.Parameter;
import java.util.List;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.test.context.AnnotatedClassFinder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.junit.jupiter.SpringExtension;

/**
 * Resolves the parameters {@link ServiceTest} names. What it opens goes into the JUnit store of the method or class
 * that asked, which closes it (in reverse order) when that method or class ends: an observer or an instance before
 * the NATS server under it.
 */
final class ServiceExtension implements ParameterResolver {

    private static final Namespace NAMESPACE = Namespace.create(ServiceExtension.class);
    private static final List<Class<?>> RESOLVED = List.of(ServiceInstance.class, Instances.class, NatsServer.class);

    /** The NATS server a method or class asked for, which its observers then watch. */
    private record OwnNats(NatsServer server) {
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return RESOLVED.contains(parameter.getParameter().getType()) || parameter.isAnnotated(Observing.class);
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        if (type == ServiceInstance.class) {
            return new ServiceInstance((ConfigurableApplicationContext) SpringExtension.getApplicationContext(context),
                    false);
        }
        if (type == Instances.class) {
            return new Instances(application(context), resource -> closeAtEnd(context, resource));
        }
        if (type == NatsServer.class) {
            NatsServer nats = closeAtEnd(context, TestServers.dedicatedNats());
            store(context).put(OwnNats.class, new OwnNats(nats));
            return nats;
        }
        return closeAtEnd(context, observer(parameter.getParameter(), natsUrl(context)));
    }

    /**
     * The observer type lives in common-events' test jar, which depends on this module: it is made through its
     * {@code (String natsUrl, Class<?>... watched)} constructor.
     */
    private static AutoCloseable observer(Parameter parameter, String natsUrl) {
        Class<?>[] watched = parameter.getAnnotation(Observing.class).value();
        try {
            return (AutoCloseable) parameter.getType().getConstructor(String.class, Class[].class)
                    .newInstance(natsUrl, watched);
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new ParameterResolutionException("@Observing needs an AutoCloseable with a (String natsUrl,"
                    + " Class<?>... watched) constructor, such as EventObserver; " + parameter.getType() + " is not", e);
        }
    }

    private static String natsUrl(ExtensionContext context) {
        OwnNats own = store(context).get(OwnNats.class, OwnNats.class);
        return own != null ? own.server().url()
                : SpringExtension.getApplicationContext(context).getEnvironment().getRequiredProperty("ticketing.nats.url");
    }

    /** The service's application class, found as {@code @SpringBootTest} finds it: up from the test's package. */
    private static Class<?> application(ExtensionContext context) {
        Class<?> application = new AnnotatedClassFinder(SpringBootConfiguration.class)
                .findFromClass(context.getRequiredTestClass());
        if (application == null) {
            throw new ParameterResolutionException("No @SpringBootConfiguration above " + context.getRequiredTestClass());
        }
        return application;
    }

    private static <T extends AutoCloseable> T closeAtEnd(ExtensionContext context, T resource) {
        store(context).put(new Object(), resource);
        return resource;
    }

    private static ExtensionContext.Store store(ExtensionContext context) {
        return context.getStore(NAMESPACE);
    }
}
