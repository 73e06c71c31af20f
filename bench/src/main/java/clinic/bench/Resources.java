package clinic.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Resident memory and CPU time of each part of the running platform, read from /proc. */
final class Resources {
    private final Path runDir;

    Resources(Path runDir) {
        this.runDir = runDir;
    }

    /** part name → pid, from the run script's pid files. */
    Map<String, Long> parts() throws IOException {
        Map<String, Long> parts = new LinkedHashMap<>();
        try (var files = Files.list(runDir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".pid")).sorted().toList()) {
                parts.put(f.getFileName().toString().replace(".pid", ""), Long.parseLong(Files.readString(f).trim()));
            }
        }
        return parts;
    }

    /** RSS in MiB of a process and all its descendants (PostgreSQL's backends belong to "postgres"). */
    static double rssMiB(long pid) {
        long kb = 0;
        for (long p : tree(pid)) kb += statusField(p, "VmRSS:");
        return kb / 1024.0;
    }

    /** CPU seconds used so far by a process and its descendants. */
    static double cpuSeconds(long pid) {
        double ticks = 0;
        for (long p : tree(pid)) {
            try {
                String stat = Files.readString(Path.of("/proc", Long.toString(p), "stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
            } catch (IOException | RuntimeException gone) {
                // the process ended between listing and reading
            }
        }
        return ticks / 100.0;
    }

    static List<Long> tree(long root) {
        List<Long> all = new ArrayList<>();
        all.add(root);
        for (int i = 0; i < all.size(); i++) {
            long p = all.get(i);
            try {
                Path children = Path.of("/proc", Long.toString(p), "task", Long.toString(p), "children");
                String text = Files.exists(children) ? Files.readString(children).trim() : "";
                if (!text.isEmpty()) for (String c : text.split("\\s+")) all.add(Long.parseLong(c));
            } catch (IOException ignored) {
                // no children file: no children we can see
            }
        }
        return all;
    }

    private static long statusField(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(field)) return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        } catch (IOException | RuntimeException gone) {
            // process gone
        }
        return 0;
    }
}
