package dev.ticketing.auth;

import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.boot.mongodb.autoconfigure.MongoClientSettingsBuilderCustomizer;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/** Records every command the service sends to MongoDB, so a test can prove what was (not) queried. */
@TestConfiguration(proxyBeanMethods = false)
public class MongoCommands implements CommandListener {

    private final List<String> commands = new CopyOnWriteArrayList<>();

    @Bean
    MongoClientSettingsBuilderCustomizer recordMongoCommands() {
        return settings -> settings.addCommandListener(this);
    }

    @Override
    public void commandStarted(CommandStartedEvent event) {
        commands.add(event.getCommand().toJson());
    }

    public List<String> sent() {
        return List.copyOf(commands);
    }
}
