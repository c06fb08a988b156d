package callguide.tools.grading;

import callguide.tools.Context;
import callguide.tools.Processes;
import callguide.tools.Step;
import callguide.tools.Trees;
import callguide.tools.WorkshopException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code ./workshop class FORKS}: every fork of a class fetched and graded as {@code grade} grades one
 * ({@link Submission}), at most {@code jobs} at a time, each within its own time; the three scoreboards
 * ({@link Scoreboard}). A fork's work is all under {@code OUT/forks/<id>/}: its clone, its grades, its steps'
 * sandboxes. Whatever a fork is or does (no such repository, no steps, code that does not compile, hangs, ends its
 * JVM, prints megabytes, writes or deletes outside its folder) ends as its own row with the reason; a fork's
 * trouble never reaches another's row. A fork whose commit (and the instructor's) is the one graded last time is
 * not graded again: its row is kept. A fork that is a folder (not a bare repository) is graded as it stands, its
 * commit the hash of its steps' sources ({@code sha256:...}).
 */
public final class Classroom {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** What a fork's folder keeps of its last grading: its row, and the instructor's commit it was graded on. */
    private static final String LAST = "last.json";

    /** One line of FORKS: where the fork is, the learner's name, and the fork's folder's name. */
    public record Fork(String source, String name, String id) {}

    /**
     * How a fork's time went, for the class's benchmark: what its row cannot say.
     *
     * @param fetching reading the fork's HEAD and cloning it
     * @param compiling its steps' JVMs compiling (the learner's code and the instructor's tests)
     * @param testing its steps' JVMs running the tests
     * @param jvms how many of its steps' JVMs ran to their end (the other steps took the grades of a step graded
     *     before, or ran out of time; a fork not graded again has none)
     * @param inAll from the fork's start to its row
     */
    public record Times(Duration fetching, Duration compiling, Duration testing, int jvms, Duration inAll) {}

    private final Context ctx;
    private final Baseline baseline;
    private final List<Step> steps;
    private final Path out;
    private final int jobs;
    private final Duration perFork;
    private final Grader grader;
    private boolean fresh;
    /** The last {@link #grade}'s times, by fork folder. */
    private final Map<String, Times> times = new ConcurrentHashMap<>();

    public Classroom(Context ctx, Baseline baseline, List<Step> steps, Path out, int jobs, Duration perFork) {
        this(ctx, baseline, steps, out, jobs, perFork, new Grader(ctx, Grader.STEP_LIMIT, 1, true));
    }

    /** Every fork and step graded again: no row kept from the last run, no step's grades taken from another's. */
    public Classroom fresh() {
        this.fresh = true;
        return this;
    }

    Classroom(Context ctx, Baseline baseline, List<Step> steps, Path out, int jobs, Duration perFork, Grader grader) {
        this.ctx = ctx;
        this.baseline = baseline;
        this.steps = steps;
        this.out = out;
        this.jobs = Math.max(1, jobs);
        this.perFork = perFork;
        this.grader = grader;
    }

    /**
     * The forks a FORKS file names: a git URL or a folder a line, then optionally the learner's name. A source with
     * spaces in it (a folder under {@code /Users/Ann Lee}) is written in double quotes; a line whose quote is
     * not closed is refused, naming the line, rather than read as some other fork.
     */
    public static List<Fork> read(Path file) throws IOException {
        List<Fork> forks = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int number = 1; number <= lines.size(); number++) {
            String line = lines.get(number - 1).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String source;
            String rest;
            if (line.startsWith("\"")) {
                int close = line.indexOf('"', 1);
                if (close < 0) {
                    throw new WorkshopException(file + " line " + number + ": the source's quote is not closed: " + line
                            + " (a source with spaces: \"C:\\Users\\Ann Lee\\callguide\" Ann)");
                }
                source = line.substring(1, close);
                rest = line.substring(close + 1).strip();
                if (source.isBlank() || (!rest.isEmpty() && !Character.isWhitespace(line.charAt(close + 1)))) {
                    throw new WorkshopException(file + " line " + number + ": " + line
                            + " (a quoted source is not empty, and a space comes between it and the name)");
                }
            } else {
                String[] parts = line.split("\\s+", 2);
                source = parts[0];
                rest = parts.length > 1 ? parts[1].strip() : "";
            }
            String name = !rest.isEmpty() ? rest : defaultName(source);
            String base = name.replaceAll("[^A-Za-z0-9_-]+", "-").replaceAll("^-+|-+$", "");
            base = base.isEmpty() ? "fork" : base.substring(0, Math.min(40, base.length()));
            String id = base;
            for (int n = 2; !ids.add(id.toLowerCase(Locale.ROOT)); n++) {
                id = base + "-" + n;
            }
            forks.add(new Fork(source, name, id));
        }
        return forks;
    }

    private static String defaultName(String source) {
        String trimmed = source.replaceAll("[/\\\\]+$", "");
        String last = trimmed.substring(Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\')) + 1);
        last = last.substring(last.lastIndexOf(':') + 1);
        return last.endsWith(".git") ? last.substring(0, last.length() - 4) : last;
    }

    /** Grades every fork; the rows in the order of FORKS, each in the shape of scoreboard.json's learners. */
    public List<ObjectNode> grade(List<Fork> forks) throws IOException {
        Files.createDirectories(out.resolve("forks"));
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(jobs, Math.max(1, forks.size())), r -> {
            Thread thread = new Thread(r, "class");
            thread.setDaemon(true);
            return thread;
        });
        AtomicInteger done = new AtomicInteger();
        long started = System.nanoTime();
        times.clear();
        try {
            List<Future<ObjectNode>> rows = new ArrayList<>();
            for (Fork fork : forks) {
                rows.add(pool.submit(() -> {
                    long start = System.nanoTime();
                    AtomicLong fetching = new AtomicLong();
                    ObjectNode row = gradeSafely(fork, fetching);
                    times.put(fork.id(), times(fork, row, fetching.get(), System.nanoTime() - start));
                    ctx.say(String.format(
                            Locale.ROOT,
                            "[%d/%d] %s: %s (%.1f s; %.0f s in all)",
                            done.incrementAndGet(),
                            forks.size(),
                            fork.id(),
                            summary(row),
                            (System.nanoTime() - start) / 1e9,
                            (System.nanoTime() - started) / 1e9));
                    return row;
                }));
            }
            List<ObjectNode> result = new ArrayList<>();
            for (int i = 0; i < forks.size(); i++) {
                try {
                    result.add(rows.get(i).get()); // each fork is bounded by its own time: so is this wait
                } catch (java.util.concurrent.ExecutionException e) {
                    result.add(errorRow(forks.get(i), null, "the grader failed: " + e.getCause()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while grading the class", e);
                }
            }
            return result;
        } finally {
            pool.shutdownNow();
        }
    }

    /** The last {@link #grade}'s times, by fork folder ({@link Fork#id}). */
    public Map<String, Times> times() {
        return Map.copyOf(times);
    }

    /** A fork's times: its steps' JVMs' from the outcomes they wrote, when it was graded now. */
    private Times times(Fork fork, JsonNode row, long fetching, long inAll) {
        long compiling = 0;
        long testing = 0;
        int jvms = 0;
        if ("graded".equals(row.path("status").asText())
                && !row.path("unchanged").asBoolean(false)) {
            Path grades = out.resolve("forks").resolve(fork.id()).resolve("grades");
            for (Step step : steps) {
                try {
                    // only a step graded in a JVM now has one: a step taken from the cache has none
                    Watch.Outcome outcome = Watch.Outcome.read(grades.resolve(step.module() + Grader.OUTCOME));
                    compiling += outcome.compileNanos();
                    testing += outcome.testNanos();
                    jvms++;
                } catch (IOException | RuntimeException e) {
                    // no outcome: graded from the cache, or its JVM did not finish (its time is in inAll only)
                }
            }
        }
        return new Times(
                Duration.ofNanos(fetching),
                Duration.ofNanos(compiling),
                Duration.ofNanos(testing),
                jvms,
                Duration.ofNanos(inAll));
    }

    private static String summary(ObjectNode row) {
        JsonNode score = row.get("score");
        String text = "error".equals(row.get("status").asText())
                ? "error"
                : score.get("passed").asInt() + " of " + score.get("total").asInt();
        if (row.path("unchanged").asBoolean(false)) {
            text += ", unchanged since the last run";
        }
        return row.hasNonNull("reason")
                ? text + ": " + Scoreboard.oneLine(row.get("reason").asText(), 100)
                : text;
    }

    /** A fork's row, whatever happens while grading it. */
    private ObjectNode gradeSafely(Fork fork, AtomicLong fetching) {
        try {
            return gradeOne(fork, fetching);
        } catch (IOException | RuntimeException e) {
            return errorRow(fork, null, "the grader failed on this fork: " + e);
        }
    }

    /** A fork's row; {@code fetching} counts the time spent in git. */
    private ObjectNode gradeOne(Fork fork, AtomicLong fetching) throws IOException {
        Instant deadline = Instant.now().plus(perFork);
        Path dir = out.resolve("forks").resolve(fork.id());
        Files.createDirectories(dir);
        Path local = Path.of(fork.source());
        boolean folder = Files.isDirectory(local) && !Files.exists(local.resolve("HEAD"));
        String commit;
        Path clone = dir.resolve("clone");
        if (folder) {
            commit = "sha256:" + hash(local);
        } else {
            long asked = System.nanoTime();
            Optional<String> remote = remoteHead(fork.source(), dir, deadline);
            fetching.addAndGet(System.nanoTime() - asked);
            if (remote.isEmpty()) {
                return errorRow(
                        fork,
                        null,
                        "cannot read the fork's HEAD with git ls-remote: "
                                + Scoreboard.oneLine(tail(dir.resolve("fetch.log")), 300));
            }
            commit = remote.get();
        }
        Optional<ObjectNode> last = fresh ? Optional.empty() : last(dir, fork, commit);
        if (last.isPresent()) {
            return last.get();
        }
        Path learner = folder ? local : clone;
        if (!folder) {
            Trees.delete(clone);
            List<String> command =
                    git("clone", "--quiet", "--depth", "1", "--no-local", fileUrl(fork.source()), clone.toString());
            long cloning = System.nanoTime();
            OptionalInt rc = Processes.loggedWithin(
                    gitProcess(command), dir.resolve("fetch.log"), Duration.between(Instant.now(), deadline));
            fetching.addAndGet(System.nanoTime() - cloning);
            if (rc.isEmpty() || rc.getAsInt() != 0) {
                return errorRow(
                        fork,
                        commit,
                        rc.isEmpty()
                                ? "git clone did not finish within the fork's time"
                                : "git clone failed: " + Scoreboard.oneLine(tail(dir.resolve("fetch.log")), 300));
            }
        }
        if (steps.stream().noneMatch(s -> Files.isDirectory(s.mainSources(learner), LinkOption.NOFOLLOW_LINKS))) {
            return remember(
                    dir,
                    errorRow(
                            fork,
                            commit,
                            "no step of the workshop in it (no " + steps.get(0).module() + "/src/main/java)"));
        }
        Path grades = dir.resolve("grades");
        ObjectNode report = Submission.grade(
                grader.until(deadline), baseline, steps, learner, grades, fresh ? null : out.resolve("cache"));
        ObjectNode row = row(fork, commit, "graded", reason(grades, report));
        row.set("score", report.get("score"));
        row.set("steps", report.get("steps"));
        return remember(dir, row);
    }

    /** The row of the last grading, when it graded this commit on this baseline. */
    private Optional<ObjectNode> last(Path dir, Fork fork, String commit) {
        Path file = dir.resolve(LAST);
        try {
            if (Files.isRegularFile(file)) {
                JsonNode last = JSON.readTree(file.toFile());
                if (last.path("baseline").asText().equals(baseline.commit())
                        && last.path("row").path("commit").asText().equals(commit)
                        && last.path("row").path("source").asText().equals(fork.source())) {
                    ObjectNode row = (ObjectNode) last.get("row");
                    row.put("name", fork.name());
                    row.put("unchanged", true);
                    return Optional.of(row);
                }
            }
        } catch (IOException | RuntimeException e) {
            // an unreadable record of the last run: grade again
        }
        return Optional.empty();
    }

    private ObjectNode remember(Path dir, ObjectNode row) throws IOException {
        ObjectNode last = JSON.createObjectNode();
        last.put("baseline", baseline.commit());
        last.set("row", row);
        JSON.writeValue(dir.resolve(LAST).toFile(), last);
        return row;
    }

    /** What went wrong in a fork's grading that its grades alone do not say: a line a thing, or null. */
    private String reason(Path grades, JsonNode report) throws IOException {
        List<String> reasons = new ArrayList<>();
        for (JsonNode step : report.get("steps")) {
            String name = step.get("step").asText();
            if (step.has("error")) {
                // the error's first line without where its log is, and the compiler's first message if any
                List<String> lines = step.get("error").asText().lines().toList();
                String first = lines.isEmpty() ? "" : lines.get(0).replaceAll(" \\(the log: [^)]*\\)", "");
                reasons.add(name + ": " + first
                        + (lines.size() > 1 ? " " + lines.get(1).strip() : ""));
            }
            Path violations = grades.resolve(name + Grader.VIOLATIONS);
            if (Files.isRegularFile(violations)) {
                List<String> lines = Files.readAllLines(violations, StandardCharsets.UTF_8).stream()
                        .distinct()
                        .toList();
                reasons.add(name + ": the grader refused its code to "
                        + String.join("; ", lines.subList(0, Math.min(3, lines.size())))
                        + (lines.size() > 3 ? "; ..." : ""));
            }
            Path log = grades.resolve(name + ".log");
            if (Files.isRegularFile(log) && Files.size(log) > Processes.LOG_CAP) {
                reasons.add(name + ": printed more than " + Processes.LOG_CAP / (1024 * 1024)
                        + " MiB (the log keeps the first " + Processes.LOG_CAP / (1024 * 1024) + ")");
            }
        }
        return reasons.isEmpty() ? null : String.join("\n", reasons);
    }

    private ObjectNode row(Fork fork, String commit, String status, String reason) {
        ObjectNode row = JSON.createObjectNode();
        row.put("name", fork.name());
        row.put("source", fork.source());
        row.put("commit", commit);
        row.put("status", status);
        row.put("reason", reason);
        return row;
    }

    private ObjectNode errorRow(Fork fork, String commit, String reason) {
        ObjectNode row = row(fork, commit, "error", reason);
        ObjectNode score = row.putObject("score");
        score.put("passed", 0);
        score.put("total", 0);
        row.putArray("steps");
        return row;
    }

    /** The fork's HEAD, asked of git within the fork's time. */
    private Optional<String> remoteHead(String source, Path dir, Instant deadline) throws IOException {
        Path log = dir.resolve("fetch.log");
        Path headFile = dir.resolve("head.txt");
        OptionalInt rc = Processes.loggedWithin(
                gitProcess(git("ls-remote", fileUrl(source), "HEAD")),
                headFile,
                Duration.between(Instant.now(), deadline));
        if (rc.isEmpty() || rc.getAsInt() != 0) {
            Files.copy(headFile, log, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return Optional.empty();
        }
        return Files.readAllLines(headFile, StandardCharsets.UTF_8).stream()
                .map(line -> line.split("\\s+")[0])
                .filter(sha -> sha.matches("[0-9a-f]{40,64}"))
                .findFirst();
    }

    /** git, with nothing a fork's URL or repository could make run: no ext:: transport, no prompts, no symlinks. */
    private static List<String> git(String... args) {
        List<String> command = new ArrayList<>(List.of(
                "git",
                "-c",
                "protocol.ext.allow=never",
                "-c",
                "core.symlinks=false",
                "-c",
                "core.hooksPath=/dev/null"));
        command.addAll(List.of(args));
        return command;
    }

    private ProcessBuilder gitProcess(List<String> command) {
        ProcessBuilder process = ctx.process(command);
        process.environment().put("GIT_TERMINAL_PROMPT", "0");
        process.environment().put("GIT_ASKPASS", "echo");
        return process;
    }

    /** A local path as a file URL, so git clones it as it would a remote (and --depth works). */
    private static String fileUrl(String source) {
        Path path = Path.of(source);
        return !source.contains("://") && !source.matches("[^/]+@[^:]+:.*") && Files.exists(path)
                ? path.toAbsolutePath().normalize().toUri().toString()
                : source;
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join(" ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
        } catch (IOException | RuntimeException e) {
            return "(no log)";
        }
    }

    /** A folder's steps' sources as one hash: the commit of a fork that is a plain folder. */
    private String hash(Path folder) throws IOException {
        StringBuilder each = new StringBuilder();
        for (Step step : steps) {
            each.append(step.module())
                    .append(' ')
                    .append(Trees.sha256(step.mainSources(folder)))
                    .append('\n');
        }
        return Trees.sha256Of(each.toString());
    }
}
