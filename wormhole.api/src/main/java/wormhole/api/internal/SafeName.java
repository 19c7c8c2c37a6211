package wormhole.api.internal;

/**
 * Reduces a name a peer sent to a safe base name: no directory part (either slash), no control or
 * format characters, no leading dots (so never {@code .}, {@code ..} or a hidden file), bounded length.
 */
public final class SafeName {
    static final int MAX_LENGTH = 120;
    static final String FALLBACK = "file";

    private SafeName() {
    }

    /**
     * @param name the name as sent
     * @return a name that is safe to create in the channel folder
     */
    public static String of(String name) {
        String base = name.replace('\\', '/');
        base = base.substring(base.lastIndexOf('/') + 1);
        StringBuilder clean = new StringBuilder(base.length());
        base.codePoints()
                .filter(cp -> !Character.isISOControl(cp))
                .filter(cp -> Character.getType(cp) != Character.FORMAT)
                .filter(cp -> Character.getType(cp) != Character.SURROGATE)
                .forEach(clean::appendCodePoint);
        String s = clean.toString().strip();
        int start = 0;
        while (start < s.length() && s.charAt(start) == '.') {
            start++;
        }
        s = s.substring(start).strip();
        if (s.isEmpty()) {
            return FALLBACK;
        }
        return truncate(s);
    }

    /** Keeps the extension when shortening a long name. */
    private static String truncate(String s) {
        if (s.codePointCount(0, s.length()) <= MAX_LENGTH) {
            return s;
        }
        int dot = s.lastIndexOf('.');
        String ext = dot > 0 && s.length() - dot <= 16 ? s.substring(dot) : "";
        String stem = s.substring(0, s.length() - ext.length());
        int keep = MAX_LENGTH - ext.length();
        int end = stem.offsetByCodePoints(0, Math.min(keep, stem.codePointCount(0, stem.length())));
        return stem.substring(0, end) + ext;
    }

    /**
     * @param safeName a name from {@link #of}
     * @param n        the collision number, 1 and up
     * @return the name with {@code -n} before its extension
     */
    static String numbered(String safeName, int n) {
        int dot = safeName.lastIndexOf('.');
        if (dot <= 0) {
            return safeName + "-" + n;
        }
        return safeName.substring(0, dot) + "-" + n + safeName.substring(dot);
    }
}
