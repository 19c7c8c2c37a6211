package wormhole.api.internal;

import java.util.Optional;
import java.util.function.Function;

/** Finds the constant of an enum of protocol names ({@code Feature}, {@code StreamKind}) by its name on the wire. */
public final class WireNames {
    private WireNames() {
    }

    /**
     * @param values   the enum's constants
     * @param wireName each constant's name on the wire
     * @param wire     a name read from a message
     * @param <E>      the enum
     * @return the constant, or empty for a name this build does not know
     */
    public static <E extends Enum<E>> Optional<E> find(E[] values, Function<E, String> wireName, String wire) {
        for (E e : values) {
            if (wireName.apply(e).equals(wire)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }
}
