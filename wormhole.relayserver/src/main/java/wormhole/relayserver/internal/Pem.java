package wormhole.relayserver.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The blocks of a PEM file ({@code -----BEGIN LABEL-----} ... {@code -----END LABEL-----}), with the
 * RFC 1421 headers a traditional encrypted key carries ({@code Proc-Type: 4,ENCRYPTED}). Text outside
 * the blocks (OpenSSL's "Bag Attributes", comments) is ignored.
 */
final class Pem {
    private static final String BEGIN = "-----BEGIN ";
    private static final String END = "-----END ";
    private static final String DASHES = "-----";

    /**
     * One block.
     *
     * @param label   the label, such as {@code CERTIFICATE} or {@code PRIVATE KEY}
     * @param headers its headers, usually none
     * @param der     the decoded content
     */
    record Block(String label, Map<String, String> headers, byte[] der) {
    }

    private Pem() {
    }

    /**
     * @param bytes the file's content
     * @return its blocks in order
     * @throws IOException when a block is unterminated or not valid base64 (the message names the label)
     */
    static List<Block> parse(byte[] bytes) throws IOException {
        String[] lines = new String(bytes, StandardCharsets.ISO_8859_1).split("\r?\n|\r");
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (!line.startsWith(BEGIN) || !line.endsWith(DASHES) || line.length() < BEGIN.length() + DASHES.length()) {
                continue;
            }
            String label = line.substring(BEGIN.length(), line.length() - DASHES.length());
            String end = END + label + DASHES;
            Map<String, String> headers = new HashMap<>();
            StringBuilder base64 = new StringBuilder();
            boolean closed = false;
            for (i++; i < lines.length; i++) {
                String l = lines[i].strip();
                if (l.equals(end)) {
                    closed = true;
                    break;
                }
                int colon = l.indexOf(':');
                if (colon > 0 && base64.length() == 0) {
                    headers.put(l.substring(0, colon).strip(), l.substring(colon + 1).strip());
                } else {
                    base64.append(l);
                }
            }
            if (!closed) {
                throw new IOException("the " + label + " block has no END line");
            }
            try {
                blocks.add(new Block(label, Map.copyOf(headers), Base64.getDecoder().decode(base64.toString())));
            } catch (IllegalArgumentException e) {
                throw new IOException("the " + label + " block is not valid base64");
            }
        }
        return blocks;
    }
}
