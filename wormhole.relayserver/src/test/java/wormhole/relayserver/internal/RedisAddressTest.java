package wormhole.relayserver.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Reading a Redis URL: credentials percent-decoded, TLS and its trust file, and a printable form without them. */
class RedisAddressTest {
    @Test
    void aPasswordAloneIsTheDefaultUsersAndIsDecoded() {
        RedisAddress a = RedisAddress.parse(URI.create("redis://:p%2Bw%3A%40%2F%25+x@10.0.0.5:6380/2"));
        assertNull(a.user());
        assertEquals("p+w:@/%+x", a.password());
        assertEquals("10.0.0.5", a.host());
        assertEquals(6380, a.port());
        assertEquals(2, a.database());
        assertFalse(a.tls());
        assertEquals("redis://10.0.0.5:6380/2", a.toString());
    }

    @Test
    void anAclUserTlsAndTrustAreRead() {
        RedisAddress a = RedisAddress.parse(URI.create("rediss://relay:secret@redis.example?trust=/etc/redis/ca%20x.pem"));
        assertEquals("relay", a.user());
        assertEquals("secret", a.password());
        assertEquals(6379, a.port());
        assertEquals(0, a.database());
        assertTrue(a.tls());
        assertEquals(Path.of("/etc/redis/ca x.pem"), a.trust());
        assertEquals("rediss://redis.example:6379/0", a.toString());
        assertFalse(a.toString().contains("secret"));
    }

    @Test
    void whatIsNotARedisUrlIsRefusedWithoutEchoingIt() {
        for (String url : new String[] {"http://:pw@h:1", "redis://:pw@h:1/x", "redis://:pw@h:1?trust=/a.pem",
            "rediss://:pw@h:1?verify=no"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RedisAddress.parse(URI.create(url)), url);
            assertFalse(e.getMessage().contains("pw"), e::getMessage);
        }
    }
}
