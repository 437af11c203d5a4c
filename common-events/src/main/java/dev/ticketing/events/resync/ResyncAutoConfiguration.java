package dev.ticketing.events.resync;

import dev.ticketing.events.bus.NatsEventBus;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.data.mongodb.core.MongoOperations;

/** A service that declares a {@link ResyncSource} republishes its records when the event stream loses its history. */
@AutoConfiguration(afterName = {
        "org.springframework.boot.data.mongodb.autoconfigure.DataMongoAutoConfiguration",
        "dev.ticketing.events.bus.EventBusAutoConfiguration"})
@ConditionalOnClass(MongoOperations.class)
@ConditionalOnBean({MongoOperations.class, NatsEventBus.class, ResyncSource.class})
class ResyncAutoConfiguration {

    @Bean
    StreamResync streamResync(MongoOperations mongo, NatsEventBus bus, ResyncSource source,
            ObjectProvider<MeterRegistry> meters) {
        StreamResync resync = new StreamResync(mongo, bus, source, meters.getIfAvailable(SimpleMeterRegistry::new));
        bus.onStreamCreated(resync::streamCreated);
        return resync;
    }
}
