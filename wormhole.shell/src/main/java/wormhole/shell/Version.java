package wormhole.shell;

/** The version of this build, read from the module descriptor. */
final class Version {
    private Version() {
    }

    static String current() {
        return Version.class.getModule().getDescriptor() == null
                ? "dev"
                : Version.class.getModule().getDescriptor().rawVersion().orElse("dev");
    }
}
