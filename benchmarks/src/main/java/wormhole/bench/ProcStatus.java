package wormhole.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads one {@code kB} field of {@code /proc/PID/status} (Linux). */
final class ProcStatus {
    private ProcStatus() {
    }

    /**
     * @param pid   the process
     * @param field e.g. {@code VmHWM} or {@code VmRSS}
     * @return its value in KiB
     * @throws IOException when the process is gone or the field missing
     */
    static long kib(long pid, String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.substring(field.length() + 1).replace("kB", "").trim());
            }
        }
        throw new IOException("no " + field + " in /proc/" + pid + "/status");
    }
}
