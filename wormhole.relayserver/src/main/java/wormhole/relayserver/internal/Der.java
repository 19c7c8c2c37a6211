package wormhole.relayserver.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Just enough DER to read a private key's algorithm and to wrap a traditional (PKCS#1 or SEC1) key
 * as PKCS#8: single-byte tags, definite lengths, object identifiers as dotted text.
 */
final class Der {
    static final int INTEGER = 0x02;
    static final int OCTET_STRING = 0x04;
    static final int NULL = 0x05;
    static final int OBJECT_IDENTIFIER = 0x06;
    static final int SEQUENCE = 0x30;
    /** The explicit tag {@code [0]} of a constructed value. */
    static final int CONTEXT_0 = 0xA0;

    private Der() {
    }

    /**
     * One encoded value: its tag and where its content lies in {@code source}.
     *
     * @param tag    the tag byte
     * @param source the bytes it was read from
     * @param start  offset of the content
     * @param end    offset just past the content
     */
    record Value(int tag, byte[] source, int start, int end) {
        byte[] content() {
            byte[] c = new byte[end - start];
            System.arraycopy(source, start, c, 0, c.length);
            return c;
        }

        /** @return the values a constructed value holds, in order */
        List<Value> children() throws IOException {
            List<Value> all = new ArrayList<>();
            for (int at = start; at < end; ) {
                Value v = read(source, at, end);
                all.add(v);
                at = v.end;
            }
            return all;
        }

        /** @return this object identifier in dotted form, such as {@code 1.2.840.10045.2.1} */
        String oid() throws IOException {
            if (tag != OBJECT_IDENTIFIER || end == start) {
                throw new IOException("not an object identifier");
            }
            StringBuilder b = new StringBuilder();
            long n = 0;
            boolean first = true;
            for (int i = start; i < end; i++) {
                n = (n << 7) | (source[i] & 0x7F);
                if ((source[i] & 0x80) == 0) {
                    if (first) {
                        int top = n < 80 ? (int) (n / 40) : 2;
                        b.append(top).append('.').append(n - 40L * top);
                        first = false;
                    } else {
                        b.append('.').append(n);
                    }
                    n = 0;
                } else if (n > Long.MAX_VALUE >> 7) {
                    throw new IOException("object identifier too long");
                }
            }
            return b.toString();
        }
    }

    /** Reads the whole of {@code der} as one value. */
    static Value parse(byte[] der) throws IOException {
        Value v = read(der, 0, der.length);
        if (v.end != der.length) {
            throw new IOException("trailing bytes after the DER value");
        }
        return v;
    }

    private static Value read(byte[] b, int at, int limit) throws IOException {
        if (limit - at < 2) {
            throw new IOException("truncated DER");
        }
        int tag = b[at] & 0xFF;
        if ((tag & 0x1F) == 0x1F) {
            throw new IOException("multi-byte DER tags are not supported");
        }
        int first = b[at + 1] & 0xFF;
        int pos = at + 2;
        long length;
        if (first < 0x80) {
            length = first;
        } else {
            int count = first & 0x7F;
            if (count == 0 || count > 4 || limit - pos < count) {
                throw new IOException("bad DER length");
            }
            length = 0;
            for (int i = 0; i < count; i++) {
                length = (length << 8) | (b[pos++] & 0xFF);
            }
        }
        if (length > limit - pos) {
            throw new IOException("truncated DER");
        }
        return new Value(tag, b, pos, pos + (int) length);
    }

    /** @return the encoding of a value with this tag and the concatenation of {@code parts} as content */
    static byte[] encode(int tag, byte[]... parts) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            content.writeBytes(p);
        }
        int n = content.size();
        ByteArrayOutputStream out = new ByteArrayOutputStream(n + 6);
        out.write(tag);
        if (n < 0x80) {
            out.write(n);
        } else {
            int bytes = n < 0x100 ? 1 : n < 0x10000 ? 2 : n < 0x1000000 ? 3 : 4;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write(n >>> (8 * i));
            }
        }
        out.writeBytes(content.toByteArray());
        return out.toByteArray();
    }

    /** @return the encoding of a value read earlier, tag and length included */
    static byte[] encoded(Value v) {
        return encode(v.tag(), v.content());
    }
}
