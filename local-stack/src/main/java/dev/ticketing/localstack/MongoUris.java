package dev.ticketing.localstack;

/** Connection strings: each service gets the same server with a database of its own. */
final class MongoUris {

    private MongoUris() {
    }

    /**
     * {@code uri} with its database replaced by {@code database}, keeping hosts and options:
     * {@code mongodb://h:27017/x?replicaSet=rs0} becomes {@code mongodb://h:27017/tickets?replicaSet=rs0}.
     */
    static String withDatabase(String uri, String database) {
        int schemeEnd = uri.indexOf("://");
        if (schemeEnd < 0) {
            throw new LocalStackException("Not a MongoDB connection string: " + uri);
        }
        int hostsStart = schemeEnd + 3;
        int query = uri.indexOf('?', hostsStart);
        int slash = uri.indexOf('/', hostsStart);
        if (query >= 0 && slash > query) {
            slash = -1;
        }
        int hostsEnd = slash >= 0 ? slash : query >= 0 ? query : uri.length();
        String options = query >= 0 ? uri.substring(query) : "";
        return uri.substring(0, hostsEnd) + "/" + database + options;
    }
}
