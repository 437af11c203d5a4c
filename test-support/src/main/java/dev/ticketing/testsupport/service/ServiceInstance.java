package dev.ticketing.testsupport.service;

import dev.ticketing.web.security.SessionCookies;
import java.util.UUID;
import org.bson.types.ObjectId;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.ResponseCookie;
import org.springframework.test.web.servlet.client.RestTestClient;

/** One running service: the test's own Spring context or one more started by {@link Instances}. */
public final class ServiceInstance implements AutoCloseable {

    private final ConfigurableApplicationContext context;
    /** The test's own context belongs to Spring's context cache, which closes it. */
    private final boolean owned;

    ServiceInstance(ConfigurableApplicationContext context, boolean owned) {
        this.context = context;
        this.owned = owned;
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    public RestTestClient http() {
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        return RestTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).build();
    }

    /** A new user with a session minted as auth-service mints it, so no auth-service is needed. */
    public Session signIn() {
        String userId = new ObjectId().toHexString();
        ResponseCookie cookie = bean(SessionCookies.class).issueFor(userId, "user-" + UUID.randomUUID() + "@test.com");
        return new Session(userId, cookie.getName() + "=" + cookie.getValue());
    }

    /** Its lifecycle beans run: not stopped, paused or closed. */
    public boolean isRunning() {
        return context.isRunning();
    }

    /** Stops every lifecycle bean, as Spring's test context cache pauses an idle context. */
    public void pause() {
        context.stop();
    }

    /** Starts them again, as the context cache does when the context is used again. */
    public void resume() {
        context.start();
    }

    @Override
    public void close() {
        if (owned) {
            context.close();
        }
    }
}
