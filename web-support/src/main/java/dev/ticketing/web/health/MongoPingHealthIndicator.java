package dev.ticketing.web.health;

import org.bson.Document;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.data.mongodb.core.MongoTemplate;

/**
 * Replaces Boot's MongoDB health check (by its bean name): Boot sends {@code hello}, which the in-process
 * MongoDB-compatible server used in tests does not know, while {@code ping} is answered by every MongoDB and tells
 * the same thing readiness needs: the database answers.
 */
class MongoPingHealthIndicator extends AbstractHealthIndicator {

    private final MongoTemplate mongo;

    MongoPingHealthIndicator(MongoTemplate mongo) {
        super("MongoDB health check failed");
        this.mongo = mongo;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        Document answer = mongo.executeCommand(new Document("ping", 1));
        Number ok = answer.get("ok", Number.class);
        builder.status(ok != null && ok.intValue() == 1 ? Status.UP : Status.DOWN);
    }
}
