package clinic.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Memory (PSS) and CPU time of each part of the running platform, read from /proc. */
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

    /**
     * The pids that make up one part. The embedded PostgreSQL server daemonises, so it is not a
     * child of its launcher: find its postmaster by the data directory on its command line.
     */
    List<Long> roots(String part, long pid) {
        List<Long> roots = new ArrayList<>(List.of(pid));
        if (!part.equals("postgres")) return roots;
        String dataDir = runDir.toAbsolutePath().getParent().resolve("postgres").toString();
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(x -> x.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String cmd = new String(Files.readAllBytes(p.resolve("cmdline"))).replace('\0', ' ');
                    if (cmd.contains(dataDir) && cmd.contains("postgres")) roots.add(Long.parseLong(p.getFileName().toString()));
                } catch (IOException gone) {
                    // ended meanwhile
                }
            }
        } catch (IOException e) {
            // no /proc: report the launcher only
        }
        return roots;
    }

    /**
     * Proportional set size in MiB (shared pages divided among the processes sharing them): the
     * honest total for PostgreSQL, whose shared buffers RSS would count once per backend.
     */
    static double pssMiB(List<Long> roots) {
        long kb = 0;
        for (long p : trees(roots)) kb += field(Path.of("/proc", Long.toString(p), "smaps_rollup"), "Pss:");
        return kb / 1024.0;
    }

    static java.util.Set<Long> trees(List<Long> roots) {
        java.util.Set<Long> all = new java.util.LinkedHashSet<>();
        for (long r : roots) all.addAll(tree(r));
        return all;
    }

    /** CPU seconds used so far by processes and their descendants. */
    static double cpuSeconds(List<Long> roots) {
        double ticks = 0;
        for (long p : trees(roots)) {
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

    private static long field(Path file, String field) {
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith(field)) return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        } catch (IOException | RuntimeException gone) {
            // process gone
        }
        return 0;
    }
}
