package callguide.tools;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Two trees compared as {@code diff -ru} shows them (headers, unified hunks with three lines of
 * context, {@code Only in}), without a {@code diff} program: Windows has none.
 */
public final class UnifiedDiff {
    private static final int CONTEXT = 3;
    private static final String NO_NEWLINE = "\\ No newline at end of file";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.nnnnnnnnn Z");

    private final Path base;
    private final PrintStream out;
    private final PrintStream err;
    private boolean same = true;
    private List<String> legend = List.of();

    /** Paths are given relative to {@code base}, and shown as given. */
    public UnifiedDiff(Path base, PrintStream out, PrintStream err) {
        this.base = base;
        this.out = out;
        this.err = err;
    }

    /** Lines printed once before the first difference, saying whose each side is. */
    public UnifiedDiff legend(String... lines) {
        this.legend = List.of(lines);
        return this;
    }

    /** A difference begins: the legend first, the first time. */
    private void differs() {
        if (same) {
            legend.forEach(out::println);
        }
        same = false;
    }

    /** Prints the differences of two trees; true when there are none (and both exist). */
    public boolean trees(Path a, Path b) throws IOException {
        boolean missing = false;
        for (Path p : List.of(a, b)) {
            if (!Files.exists(base.resolve(p))) {
                err.println("diff: " + p + ": No such file or directory");
                missing = true;
            }
        }
        if (missing) {
            return false;
        }
        compare(a, b);
        out.flush();
        return same;
    }

    private void compare(Path a, Path b) throws IOException {
        TreeSet<String> names = new TreeSet<>();
        names.addAll(list(a));
        names.addAll(list(b));
        List<String> left = list(a);
        List<String> right = list(b);
        for (String name : names) {
            Path x = a.resolve(name);
            Path y = b.resolve(name);
            boolean inA = left.contains(name);
            boolean inB = right.contains(name);
            if (!inA || !inB) {
                differs();
                out.println("Only in " + (inA ? a : b) + ": " + name);
            } else if (Files.isDirectory(base.resolve(x)) && Files.isDirectory(base.resolve(y))) {
                compare(x, y);
            } else if (Files.isDirectory(base.resolve(x)) || Files.isDirectory(base.resolve(y))) {
                differs();
                out.println("File " + x + " is a " + kind(x) + " while file " + y + " is a " + kind(y));
            } else {
                files(x, y);
            }
        }
    }

    private String kind(Path p) {
        return Files.isDirectory(base.resolve(p)) ? "directory" : "regular file";
    }

    private List<String> list(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(base.resolve(dir))) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    private void files(Path a, Path b) throws IOException {
        List<String> x = lines(a);
        List<String> y = lines(b);
        if (x.equals(y)) {
            return;
        }
        differs();
        out.println("diff -ru " + a + " " + b);
        out.println("--- " + a + "\t" + stamp(a));
        out.println("+++ " + b + "\t" + stamp(b));
        for (List<int[]> group : groups(opcodes(x, y))) {
            int[] first = group.get(0);
            int[] last = group.get(group.size() - 1);
            out.println("@@ -" + range(first[1], last[2]) + " +" + range(first[3], last[4]) + " @@");
            for (int[] op : group) {
                if (op[0] == EQUAL) {
                    emit(" ", x, op[1], op[2]);
                } else {
                    emit("-", x, op[1], op[2]);
                    emit("+", y, op[3], op[4]);
                }
            }
        }
    }

    private void emit(String prefix, List<String> lines, int from, int to) {
        for (int i = from; i < to; i++) {
            String line = lines.get(i);
            if (line.endsWith(NO_NEWLINE_MARK)) {
                out.println(prefix + line.substring(0, line.length() - NO_NEWLINE_MARK.length()));
                out.println(NO_NEWLINE);
            } else {
                out.println(prefix + line);
            }
        }
    }

    /**
     * The range of a hunk as diff writes it: {@code 3,7}, {@code 3} for one line, the line before and {@code ,0} for
     * none.
     */
    static String range(int start, int stop) {
        int length = stop - start;
        int beginning = start + 1;
        if (length == 1) {
            return String.valueOf(beginning);
        }
        if (length == 0) {
            beginning--;
        }
        return beginning + "," + length;
    }

    private String stamp(Path p) throws IOException {
        return Files.getLastModifiedTime(base.resolve(p))
                .toInstant()
                .atZone(ZoneId.systemDefault())
                .format(STAMP);
    }

    /** A last line without a newline differs from the same line with one, as in diff. */
    private static final String NO_NEWLINE_MARK = "\u0000no-newline";

    private List<String> lines(Path p) throws IOException {
        String text = new String(Files.readAllBytes(base.resolve(p)), StandardCharsets.UTF_8);
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        if (lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        } else {
            lines.set(lines.size() - 1, lines.get(lines.size() - 1) + NO_NEWLINE_MARK);
        }
        return lines;
    }

    static final int EQUAL = 0;
    static final int CHANGE = 1;

    /** {tag, i1, i2, j1, j2} from a longest common subsequence: equal runs and the changes between them. */
    static List<int[]> opcodes(List<String> a, List<String> b) {
        int n = a.size();
        int m = b.size();
        int[][] lcs = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                lcs[i][j] = a.get(i).equals(b.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        List<int[]> ops = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && a.get(i).equals(b.get(j))) {
                int si = i;
                int sj = j;
                while (i < n && j < m && a.get(i).equals(b.get(j))) {
                    i++;
                    j++;
                }
                ops.add(new int[] {EQUAL, si, i, sj, j});
            } else {
                int si = i;
                int sj = j;
                while ((i < n || j < m) && !(i < n && j < m && a.get(i).equals(b.get(j)))) {
                    if (j >= m || (i < n && lcs[i + 1][j] >= lcs[i][j + 1])) {
                        i++;
                    } else {
                        j++;
                    }
                }
                ops.add(new int[] {CHANGE, si, i, sj, j});
            }
        }
        return ops;
    }

    /** The changes in hunks, each with its context, as difflib and diff group them. */
    static List<List<int[]>> groups(List<int[]> codes) {
        List<int[]> ops = new ArrayList<>();
        codes.forEach(c -> ops.add(c.clone()));
        if (ops.isEmpty()) {
            ops.add(new int[] {EQUAL, 0, 1, 0, 1});
        }
        int[] head = ops.get(0);
        if (head[0] == EQUAL) {
            head[1] = Math.max(head[1], head[2] - CONTEXT);
            head[3] = Math.max(head[3], head[4] - CONTEXT);
        }
        int[] tail = ops.get(ops.size() - 1);
        if (tail[0] == EQUAL) {
            tail[2] = Math.min(tail[2], tail[1] + CONTEXT);
            tail[4] = Math.min(tail[4], tail[3] + CONTEXT);
        }
        List<List<int[]>> groups = new ArrayList<>();
        List<int[]> group = new ArrayList<>();
        for (int[] op : ops) {
            int i1 = op[1];
            int j1 = op[3];
            if (op[0] == EQUAL && op[2] - op[1] > 2 * CONTEXT) {
                group.add(new int[] {EQUAL, i1, Math.min(op[2], i1 + CONTEXT), j1, Math.min(op[4], j1 + CONTEXT)});
                groups.add(group);
                group = new ArrayList<>();
                i1 = Math.max(i1, op[2] - CONTEXT);
                j1 = Math.max(j1, op[4] - CONTEXT);
            }
            group.add(new int[] {op[0], i1, op[2], j1, op[4]});
        }
        if (!group.isEmpty() && !(group.size() == 1 && group.get(0)[0] == EQUAL)) {
            groups.add(group);
        }
        groups.removeIf(g -> g.stream().allMatch(op -> op[0] == EQUAL));
        return groups;
    }
}
