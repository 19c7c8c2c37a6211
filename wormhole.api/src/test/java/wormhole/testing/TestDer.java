package wormhole.testing;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A DER value, read just well enough to turn the JDK's PKCS#8 keys into the traditional forms
 * OpenSSL writes (tests only; the relay's own reader is not used, so it is not checked against itself).
 *
 * @param tag     the tag byte
 * @param bytes   the whole encoding
 * @param start   where the content starts in it
 */
record TestDer(int tag, byte[] bytes, int start) {
    static TestDer read(byte[] b) {
        return at(b, 0);
    }

    private static TestDer at(byte[] b, int offset) {
        int len = b[offset + 1] & 0xFF;
        int start = offset + 2;
        if (len >= 0x80) {
            int n = len & 0x7F;
            len = 0;
            for (int i = 0; i < n; i++) {
                len = (len << 8) | (b[start++] & 0xFF);
            }
        }
        return new TestDer(b[offset] & 0xFF, Arrays.copyOfRange(b, offset, start + len), start - offset);
    }

    byte[] content() {
        return Arrays.copyOfRange(bytes, start, bytes.length);
    }

    byte[] encoded() {
        return bytes.clone();
    }

    List<TestDer> children() {
        List<TestDer> all = new ArrayList<>();
        byte[] c = content();
        for (int at = 0; at < c.length; ) {
            TestDer d = at(c, at);
            all.add(d);
            at += d.bytes.length;
        }
        return all;
    }

    static byte[] encode(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int n = content.length;
        if (n < 0x80) {
            out.write(n);
        } else if (n < 0x100) {
            out.write(0x81);
            out.write(n);
        } else {
            out.write(0x82);
            out.write(n >> 8);
            out.write(n);
        }
        out.writeBytes(content);
        return out.toByteArray();
    }
}
