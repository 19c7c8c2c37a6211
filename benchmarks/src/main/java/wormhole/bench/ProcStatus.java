package wormhole.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a process's figures from {@code /proc} (Linux). */
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

    /**
     * @param pid the process
     * @return its CPU time so far, user and system, in nanoseconds ({@code /proc/PID/stat}, clock ticks
     *         of 10 ms)
     * @throws IOException when the process is gone
     */
    static long cpuNanos(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        // The command name in parentheses may hold blanks: fields are counted after its closing one.
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime: fields 14 and 15
        return ticks * 10_000_000L;
    }
}
