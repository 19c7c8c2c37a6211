package wormhole.api.internal;

import java.io.EOFException;
import java.io.IOException;
import java.util.Arrays;
import java.util.function.Function;
import java.util.EnumSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import wormhole.api.ChannelCode;
import wormhole.api.Feature;
import wormhole.api.Role;
import wormhole.api.spi.FrameLink;
import wormhole.api.spi.ResumableLink;
import wormhole.api.spi.ResumeKeys;
import wormhole.api.spi.UpgradeCarrier;
import wormhole.crypto.CryptoException;
import wormhole.crypto.FrameSession;
import wormhole.crypto.SharedSecret;
import wormhole.crypto.Side;
import wormhole.crypto.Spake2;

/**
 * The opening of a channel, on the channel thread: the SPAKE2 key exchange, then one encrypted version
 * message each way, whose decryption is the key confirmation. A session that does not come out of it
 * whole is wiped here; the one in the result belongs to the caller.
 */
final class Handshake {
    /**
     * A successful handshake.
     *
     * @param session  the frame session, keys and counters of both directions
     * @param verifier the short string both ends derive alike
     * @param features the features both ends support
     * @param peerName the implementation the peer named, or empty
     * @param resume   whether both ends offered to resume the link after a drop
     * @param upgrade  both ends' upgrade proof keys when both offered {@link #UPGRADE}, else null;
     *                 the caller's to wipe
     */
    record Result(FrameSession session, String verifier, Set<Feature> features, String peerName, boolean resume,
            ResumeKeys upgrade) {
        Result {
            features = Set.copyOf(features);
        }
    }

    /** The handshake failed; the message says why, for people. */
    static final class FailedException extends Exception {
        private static final long serialVersionUID = 1L;

        FailedException(String message) {
            super(message);
        }
    }

    /**
     * The link-level feature of a {@link ResumableLink}: listed in the version message only when the
     * link offers it, and never a {@link Feature}, since the engine itself does nothing with it.
     */
    static final String RESUME = "resume";

    /**
     * The feature of moving a channel that met through a relay to a direct connection: listed only
     * when the link {@linkplain UpgradeCarrier carries an upgrade} and this end may upgrade, and by
     * the host only to a peer that listed it. Like {@link #RESUME}, not a {@link Feature}.
     */
    static final String UPGRADE = "upgrade";

    private Handshake() {
    }

    /**
     * @param link     the open link
     * @param role     this end's role
     * @param code     the channel code, whose password both ends must share
     * @param settings this end's features, implementation name and randomness
     * @param codec    the message codec
     * @return the session and what was agreed
     * @throws FailedException when the codes differ, the peer is no peer of ours, or the link fails
     */
    static Result run(FrameLink link, Role role, ChannelCode code, EngineSettings settings, MessageCodec codec)
            throws FailedException {
        return run(link, role, code, settings, codec, false);
    }

    /**
     * @param mayUpgrade whether this end offers {@link #UPGRADE} when the link carries one
     */
    static Result run(FrameLink link, Role role, ChannelCode code, EngineSettings settings, MessageCodec codec,
            boolean mayUpgrade) throws FailedException {
        Side side = role == Role.HOST ? Side.HOST : Side.PEER;
        Spake2 spake = Spake2.start(side, code.password(), settings.random());
        FrameSession session = null;
        ResumableLink resumable = link instanceof ResumableLink r && r.offersResume() ? r : null;
        ResumeKeys resumeKeys = null;
        boolean upgradable = mayUpgrade && link instanceof UpgradeCarrier c && c.carriesUpgrade();
        ResumeKeys upgradeKeys = null;
        try {
            link.send(spake.outboundMessage());
            byte[] theirs = link.receive();
            String verifier;
            try (SharedSecret secret = spake.finish(theirs)) {
                session = secret.sessionFor(side);
                verifier = secret.verifier();
                if (resumable != null) {
                    resumeKeys = keyPair(secret::resumeKey);
                }
                if (upgradable) {
                    upgradeKeys = keyPair(secret::upgradeKey);
                }
            }
            Message.Version peer;
            if (role == Role.HOST) {
                // The host reads the peer's version first (every peer sends its own without waiting),
                // so it offers resume only to a peer that did: a version-1 peer gets the version
                // message it always got.
                peer = receiveVersion(link, session, codec);
                boolean offer = resumable != null && peer.features().contains(RESUME);
                boolean offerUpgrade = upgradable && peer.features().contains(UPGRADE);
                link.send(session.seal(codec.encode(version(role, settings, offer, offerUpgrade))));
            } else {
                link.send(session.seal(codec.encode(version(role, settings, resumable != null, upgradable))));
                peer = receiveVersion(link, session, codec);
            }
            if (peer.version() != ChannelEngine.PROTOCOL_VERSION) {
                throw new FailedException("the peer speaks protocol version " + peer.version());
            }
            if (peer.role() == role) {
                throw new FailedException("both ends claim the role " + role.wireName());
            }
            EnumSet<Feature> both = EnumSet.noneOf(Feature.class);
            for (String name : peer.features()) {
                Feature.fromWire(name).filter(settings.features()::contains).ifPresent(both::add);
            }
            boolean resume = resumable != null && peer.features().contains(RESUME);
            if (resume) {
                resumable.resumeAgreed(resumeKeys);
                resumeKeys = null;
            } else if (resumable != null) {
                resumable.resumeDeclined();
            }
            boolean upgrade = upgradable && peer.features().contains(UPGRADE);
            Result result = new Result(session, verifier, both, peer.implementation(), resume, upgrade ? upgradeKeys : null);
            session = null;
            if (upgrade) {
                upgradeKeys = null;
            }
            return result;
        } catch (CryptoException | MessageFormatException e) {
            throw new FailedException(e.getMessage());
        } catch (EOFException e) {
            throw new FailedException("the other end closed the connection during the handshake");
        } catch (IOException e) {
            throw new FailedException(Details.of(e));
        } finally {
            if (session != null) {
                session.close();
            }
            if (resumeKeys != null) {
                resumeKeys.close();
            }
            if (upgradeKeys != null) {
                upgradeKeys.close();
            }
        }
    }

    private static Message.Version version(Role role, EngineSettings settings, boolean offerResume, boolean offerUpgrade) {
        Set<String> offered = new TreeSet<>(wireNames(settings.features()));
        if (offerResume) {
            offered.add(RESUME);
        }
        if (offerUpgrade) {
            offered.add(UPGRADE);
        }
        return new Message.Version(ChannelEngine.PROTOCOL_VERSION, role, offered, settings.implementation());
    }

    /** Reads and opens the other end's version message: its opening is the key confirmation. */
    private static Message.Version receiveVersion(FrameLink link, FrameSession session, MessageCodec codec)
            throws IOException, FailedException, MessageFormatException {
        byte[] plain;
        try {
            plain = session.open(link.receive());
        } catch (CryptoException e) {
            throw new FailedException("key confirmation failed: the codes differ");
        }
        return codec.decodeVersion(plain);
    }

    /**
     * Both ends' proof keys (for resumes or for upgrades), each derived with its own label; the caller
     * wipes them.
     */
    private static ResumeKeys keyPair(Function<Side, byte[]> derive) {
        byte[] host = derive.apply(Side.HOST);
        byte[] peer = derive.apply(Side.PEER);
        try {
            return new ResumeKeys(host, peer);
        } finally {
            Arrays.fill(host, (byte) 0);
            Arrays.fill(peer, (byte) 0);
        }
    }

    private static Set<String> wireNames(Set<Feature> features) {
        return features.stream().map(Feature::wireName).collect(Collectors.toSet());
    }
}
