package wormhole.relayserver;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import org.junit.jupiter.api.Test;

/** A relay's settings never show the Redis password, wherever they are printed. */
class RelayConfigTest {
    @Test
    void theTextOfTheSettingsLeavesTheRedisCredentialsOut() {
        RelayConfig config = RelayConfig.builder().redis(URI.create("rediss://relay:s3cr%40t-word@redis.example:6380/2")).build();
        String text = config.toString();
        assertFalse(text.contains("s3cr") || text.contains("relay:"), text);
        assertTrue(text.contains("redis=rediss://***@redis.example:6380/2"), text);
        assertTrue(text.contains("maxConnections="), text);
    }
}
