package wormhole.relayserver.internal;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.List;
import java.util.Map;

/**
 * Reads the private key of a PEM file with the JDK alone: PKCS#8 ({@code PRIVATE KEY}) of RSA, EC,
 * Ed25519 or Ed448, and the traditional OpenSSL forms {@code RSA PRIVATE KEY} (PKCS#1) and
 * {@code EC PRIVATE KEY} (SEC1), which it wraps as PKCS#8 first. Encrypted keys are refused by name,
 * since the relay has no one to ask for a pass phrase.
 */
final class PemPrivateKey {
    private static final String RSA_OID = "1.2.840.113549.1.1.1";
    private static final String EC_OID = "1.2.840.10045.2.1";
    /** The JDK's key algorithm for each supported PKCS#8 algorithm identifier. */
    private static final Map<String, String> ALGORITHMS = Map.of(
            RSA_OID, "RSA",
            EC_OID, "EC",
            "1.3.101.112", "Ed25519",
            "1.3.101.113", "Ed448");
    private static final byte[] VERSION_0 = {Der.INTEGER, 1, 0};
    /** The DER of the object identifier rsaEncryption (1.2.840.113549.1.1.1). */
    private static final byte[] RSA_ENCRYPTION = {Der.OBJECT_IDENTIFIER, 9, 0x2A, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xF7, 0x0D, 1, 1, 1};
    /** The DER of the object identifier id-ecPublicKey (1.2.840.10045.2.1). */
    private static final byte[] EC_PUBLIC_KEY = {Der.OBJECT_IDENTIFIER, 7, 0x2A, (byte) 0x86, 0x48, (byte) 0xCE, 0x3D, 2, 1};

    private PemPrivateKey() {
    }

    /**
     * @param blocks the PEM blocks of the key file (other blocks, such as {@code EC PARAMETERS}, are skipped)
     * @return the one private key among them
     * @throws IOException with a one-line reason when there is none, more than one, or it cannot be used
     */
    static PrivateKey from(List<Pem.Block> blocks) throws IOException {
        Pem.Block key = null;
        for (Pem.Block b : blocks) {
            if (b.label().endsWith("PRIVATE KEY")) {
                if (key != null) {
                    throw new IOException("more than one private key");
                }
                key = b;
            }
        }
        if (key == null) {
            throw new IOException("no private key (expected -----BEGIN PRIVATE KEY-----, "
                    + "-----BEGIN RSA PRIVATE KEY----- or -----BEGIN EC PRIVATE KEY-----)");
        }
        if (key.label().equals("ENCRYPTED PRIVATE KEY") || key.headers().getOrDefault("Proc-Type", "").contains("ENCRYPTED")) {
            throw new IOException("the private key is encrypted; give the relay an unencrypted copy "
                    + "(for example: openssl pkey -in KEY -out PLAIN_KEY), readable only by its user");
        }
        if (!List.of("PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY").contains(key.label())) {
            throw new IOException("unsupported key type " + key.label()
                    + " (expected PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)");
        }
        byte[] pkcs8;
        try {
            pkcs8 = switch (key.label()) {
                case "RSA PRIVATE KEY" -> fromPkcs1(key.der());
                case "EC PRIVATE KEY" -> fromSec1(key.der());
                default -> key.der();
            };
        } catch (IOException e) {
            throw new IOException("the " + key.label() + " block is not a valid key: " + e.getMessage(), e);
        }
        return decode(key.label(), pkcs8);
    }

    private static PrivateKey decode(String label, byte[] pkcs8) throws IOException {
        String oid;
        try {
            List<Der.Value> info = Der.parse(pkcs8).children();
            if (info.size() < 3 || info.get(1).tag() != Der.SEQUENCE || info.get(1).children().isEmpty()) {
                throw new IOException("not a PKCS#8 PrivateKeyInfo");
            }
            oid = info.get(1).children().get(0).oid();
        } catch (IOException e) {
            throw new IOException("the " + label + " block is not a valid key: " + e.getMessage(), e);
        }
        String algorithm = ALGORITHMS.get(oid);
        if (algorithm == null) {
            throw new IOException("unsupported private key algorithm " + oid + " (RSA, EC, Ed25519 and Ed448 are)");
        }
        try {
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (GeneralSecurityException e) {
            throw new IOException("the " + label + " block is not a valid " + algorithm + " key: " + e.getMessage(), e);
        }
    }

    /** PKCS#1 RSAPrivateKey -> PrivateKeyInfo {0, {rsaEncryption, NULL}, OCTET STRING pkcs1}. */
    private static byte[] fromPkcs1(byte[] pkcs1) throws IOException {
        Der.parse(pkcs1).children(); // a well-formed DER sequence, or an error that says so
        byte[] algorithm = Der.encode(Der.SEQUENCE, RSA_ENCRYPTION, new byte[] {Der.NULL, 0});
        return Der.encode(Der.SEQUENCE, VERSION_0, algorithm, Der.encode(Der.OCTET_STRING, pkcs1));
    }

    /**
     * SEC1 ECPrivateKey {1, d, [0] curve, [1] public key} -> PrivateKeyInfo {0, {ecPublicKey, curve},
     * OCTET STRING sec1}. The curve must be named; the JDK ignores the [0] and [1] fields inside.
     */
    private static byte[] fromSec1(byte[] sec1) throws IOException {
        Der.Value curve = null;
        for (Der.Value v : Der.parse(sec1).children()) {
            if (v.tag() == Der.CONTEXT_0) {
                List<Der.Value> inner = v.children();
                if (inner.size() != 1 || inner.get(0).tag() != Der.OBJECT_IDENTIFIER) {
                    throw new IOException("the EC key's curve is not a named curve");
                }
                curve = inner.get(0);
            }
        }
        if (curve == null) {
            throw new IOException("the EC key does not name its curve");
        }
        byte[] algorithm = Der.encode(Der.SEQUENCE, EC_PUBLIC_KEY, Der.encoded(curve));
        return Der.encode(Der.SEQUENCE, VERSION_0, algorithm, Der.encode(Der.OCTET_STRING, sec1));
    }
}
