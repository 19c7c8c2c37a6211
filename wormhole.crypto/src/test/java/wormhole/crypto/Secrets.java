package wormhole.crypto;

import java.lang.reflect.Field;
import wormhole.crypto.internal.Spake2Exchange;

/**
 * Reads a SPAKE2 side's secrets from outside, so the tests can check they were wiped without the
 * production classes carrying a method only tests use. The tests run inside the module, so its
 * private fields are open to them.
 */
final class Secrets {
    private static final String[] EXCHANGE_SECRETS = {"passwordHash", "passwordScalar", "randomScalar"};

    private Secrets() {
    }

    /** @return whether every byte of the password hash and both scalars of {@code side} is zero */
    static boolean wiped(Spake2 side) {
        try {
            Object exchange = field(Spake2.class, "exchange").get(side);
            byte acc = 0;
            for (String name : EXCHANGE_SECRETS) {
                for (byte b : (byte[]) field(Spake2Exchange.class, name).get(exchange)) {
                    acc |= b;
                }
            }
            return acc == 0;
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("the secrets this test reads were renamed: " + e, e);
        }
    }

    private static Field field(Class<?> type, String name) throws NoSuchFieldException {
        Field f = type.getDeclaredField(name);
        f.setAccessible(true);
        return f;
    }
}
