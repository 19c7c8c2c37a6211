package wormhole.shell.cli;

/** The version of this build, read from the module descriptor. */
public final class Version {
    private Version() {
    }

    public static String current() {
        return Version.class.getModule().getDescriptor() == null
                ? "dev"
                : Version.class.getModule().getDescriptor().rawVersion().orElse("dev");
    }
}
