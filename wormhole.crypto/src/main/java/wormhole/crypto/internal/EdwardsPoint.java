package wormhole.crypto.internal;

import org.bouncycastle.math.ec.rfc7748.X25519Field;

/**
 * A mutable point of the Ed25519 curve -x^2 + y^2 = 1 + d x^2 y^2 in extended twisted-Edwards
 * coordinates (X : Y : Z : T) with x = X/Z, y = Y/Z and x*y = T/Z. The field arithmetic is bcprov's
 * {@link X25519Field}. Every operation here is a fixed sequence of field operations: the formulas
 * are complete for a = -1 and a non-square d, so no input (identity, doubling, inverse) needs a
 * branch.
 */
final class EdwardsPoint {
    final int[] x = X25519Field.create();
    final int[] y = X25519Field.create();
    final int[] z = X25519Field.create();
    final int[] t = X25519Field.create();

    private EdwardsPoint() {
    }

    /** @return a new neutral element (0 : 1 : 1 : 0) */
    static EdwardsPoint identity() {
        EdwardsPoint p = new EdwardsPoint();
        X25519Field.one(p.y);
        X25519Field.one(p.z);
        return p;
    }

    /** @return a new point with affine coordinates (x, y), both already reduced field elements */
    static EdwardsPoint fromAffine(int[] affineX, int[] affineY) {
        EdwardsPoint p = new EdwardsPoint();
        X25519Field.copy(affineX, 0, p.x, 0);
        X25519Field.copy(affineY, 0, p.y, 0);
        X25519Field.one(p.z);
        X25519Field.mul(affineX, affineY, p.t);
        return p;
    }

    /** @return a copy of this point */
    EdwardsPoint copy() {
        EdwardsPoint p = new EdwardsPoint();
        p.set(this);
        return p;
    }

    void set(EdwardsPoint o) {
        X25519Field.copy(o.x, 0, x, 0);
        X25519Field.copy(o.y, 0, y, 0);
        X25519Field.copy(o.z, 0, z, 0);
        X25519Field.copy(o.t, 0, t, 0);
    }

    /** Copies {@code o} into this point when {@code mask} is -1, keeps this point when it is 0. */
    void cmov(int mask, EdwardsPoint o) {
        X25519Field.cmov(mask, o.x, 0, x, 0);
        X25519Field.cmov(mask, o.y, 0, y, 0);
        X25519Field.cmov(mask, o.z, 0, z, 0);
        X25519Field.cmov(mask, o.t, 0, t, 0);
    }

    /** Replaces this point by its inverse (-x, y). */
    void negate() {
        X25519Field.negate(x, x);
        X25519Field.carry(x);
        X25519Field.negate(t, t);
        X25519Field.carry(t);
    }

    /** Overwrites the coordinates with zeros. */
    void wipe() {
        X25519Field.zero(x);
        X25519Field.zero(y);
        X25519Field.zero(z);
        X25519Field.zero(t);
    }

    /**
     * Sets {@code r = p + q} with the unified formulas for a = -1 (Hisil, Wong, Carter, Dawson 2008,
     * "add-2008-hwcd-3"). {@code r} may be {@code p} or {@code q}.
     */
    static void add(EdwardsPoint p, EdwardsPoint q, EdwardsPoint r, Scratch s) {
        sub(p.y, p.x, s.a);
        sub(q.y, q.x, s.b);
        X25519Field.mul(s.a, s.b, s.a);            // A = (Y1 - X1)(Y2 - X2)
        add(p.y, p.x, s.b);
        add(q.y, q.x, s.c);
        X25519Field.mul(s.b, s.c, s.b);            // B = (Y1 + X1)(Y2 + X2)
        X25519Field.mul(p.t, q.t, s.c);
        X25519Field.mul(s.c, Ed25519.D2, s.c);     // C = 2d T1 T2
        X25519Field.mul(p.z, q.z, s.d);
        add(s.d, s.d, s.d);                        // D = 2 Z1 Z2
        sub(s.b, s.a, s.e);                        // E = B - A
        add(s.b, s.a, s.h);                        // H = B + A
        sub(s.d, s.c, s.f);                        // F = D - C
        add(s.d, s.c, s.g);                        // G = D + C
        X25519Field.mul(s.e, s.f, r.x);
        X25519Field.mul(s.g, s.h, r.y);
        X25519Field.mul(s.e, s.h, r.t);
        X25519Field.mul(s.f, s.g, r.z);
    }

    /** Sets {@code r = 2p} ("dbl-2008-hwcd" for a = -1); {@code r} may be {@code p}. */
    static void dbl(EdwardsPoint p, EdwardsPoint r, Scratch s) {
        X25519Field.sqr(p.x, s.a);                 // A = X1^2
        X25519Field.sqr(p.y, s.b);                 // B = Y1^2
        X25519Field.sqr(p.z, s.c);
        add(s.c, s.c, s.c);                        // C = 2 Z1^2
        add(p.x, p.y, s.e);
        X25519Field.sqr(s.e, s.e);
        sub(s.e, s.a, s.e);
        sub(s.e, s.b, s.e);                        // E = (X1 + Y1)^2 - A - B
        sub(s.b, s.a, s.g);                        // G = -A + B
        sub(s.g, s.c, s.f);                        // F = G - C
        add(s.a, s.b, s.h);
        X25519Field.negate(s.h, s.h);
        X25519Field.carry(s.h);                    // H = -A - B
        X25519Field.mul(s.e, s.f, r.x);
        X25519Field.mul(s.g, s.h, r.y);
        X25519Field.mul(s.e, s.h, r.t);
        X25519Field.mul(s.f, s.g, r.z);
    }

    // Sums and differences are carried at once so that every multiplication input stays within the
    // limb bounds X25519Field.mul expects, however the formulas chain them.
    private static void add(int[] a, int[] b, int[] out) {
        X25519Field.add(a, b, out);
        X25519Field.carry(out);
    }

    private static void sub(int[] a, int[] b, int[] out) {
        X25519Field.sub(a, b, out);
        X25519Field.carry(out);
    }

    /** Temporary field elements for the formulas, reused across one scalar multiplication. */
    static final class Scratch {
        final int[] a = X25519Field.create();
        final int[] b = X25519Field.create();
        final int[] c = X25519Field.create();
        final int[] d = X25519Field.create();
        final int[] e = X25519Field.create();
        final int[] f = X25519Field.create();
        final int[] g = X25519Field.create();
        final int[] h = X25519Field.create();

        void wipe() {
            for (int[] v : new int[][] {a, b, c, d, e, f, g, h}) {
                X25519Field.zero(v);
            }
        }
    }
}
