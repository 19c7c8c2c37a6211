package wormhole.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Describes a running JVM's heap for the table: the JVM flags from its {@code /proc/PID/cmdline}, and
 * the maximum heap those flags give, asked of the same {@code java} with {@code -XX:+PrintFlagsFinal}.
 */
final class Heap {
    private Heap() {
    }

    /**
     * @param pid a running JVM started by the launcher ({@code java FLAGS -m MODULE/CLASS ARGS})
     * @return e.g. {@code "-XX:+UseSerialGC, MaxHeapSize 6 GiB (default)"}
     */
    static String describe(long pid) throws IOException, InterruptedException {
        byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
        List<String> argv = Arrays.asList(new String(raw, StandardCharsets.UTF_8).split("\0"));
        int main = argv.indexOf("-m");
        List<String> flags = argv.subList(1, main < 0 ? argv.size() : main);
        List<String> command = new ArrayList<>();
        command.add(argv.get(0));
        command.addAll(flags);
        command.add("-XX:+PrintFlagsFinal");
        command.add("-version");
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        String max = out.lines().filter(l -> l.matches("\\s*size_t MaxHeapSize\\s.*")).findFirst()
                .map(l -> l.replaceAll("\\D*(\\d+).*", "$1")).map(Long::parseLong)
                .map(b -> b % (1L << 30) == 0 ? b / (1L << 30) + " GiB" : b / (1L << 20) + " MiB").orElse("?");
        String gc = flags.stream().filter(f -> f.matches("-XX:\\+Use\\w+GC")).findFirst().orElse("default GC");
        List<String> heapFlags = flags.stream().filter(f -> f.startsWith("-Xm") || f.contains("HeapSize") || f.contains("NewSize")
                || f.contains("RAMPercentage")).toList();
        return gc + ", max heap " + max + (heapFlags.isEmpty() ? " (JVM default)" : " (" + String.join(" ", heapFlags) + ")");
    }

    /** @return the image's Java version, from its {@code release} file */
    static String imageJava(Path image) {
        try {
            return Files.readAllLines(image.resolve("release")).stream().filter(l -> l.startsWith("JAVA_VERSION="))
                    .map(l -> "JDK " + l.substring("JAVA_VERSION=".length()).replace("\"", "")).findFirst().orElse("JDK ?");
        } catch (IOException e) {
            return "JDK ?";
        }
    }
}
