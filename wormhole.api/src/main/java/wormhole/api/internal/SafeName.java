package wormhole.api.internal;

/**
 * Reduces a name a peer sent to a safe base name: no directory part (either slash), no control or
 * format characters, no leading dots (so never {@code .}, {@code ..} or a hidden file), bounded length.
 */
public final class SafeName {
    /** At most this many UTF-8 bytes, leaving room under the usual 255-byte limit for a "-NNNN" suffix. */
    static final int MAX_BYTES = 200;
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

    /** Keeps the extension when shortening a long name; never cuts a character in half. */
    private static String truncate(String s) {
        if (utf8Length(s) <= MAX_BYTES) {
            return s;
        }
        int dot = s.lastIndexOf('.');
        String ext = dot > 0 && utf8Length(s.substring(dot)) <= 16 ? s.substring(dot) : "";
        String stem = s.substring(0, s.length() - ext.length());
        int budget = MAX_BYTES - utf8Length(ext);
        StringBuilder kept = new StringBuilder();
        int used = 0;
        for (int i = 0; i < stem.length(); ) {
            int cp = stem.codePointAt(i);
            int n = utf8Length(new String(Character.toChars(cp)));
            if (used + n > budget) {
                break;
            }
            kept.appendCodePoint(cp);
            used += n;
            i += Character.charCount(cp);
        }
        return kept + ext;
    }

    private static int utf8Length(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
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
