package callguide.tools.grading;

import callguide.tools.Context;
import callguide.tools.Processes;
import callguide.tools.Step;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Grades steps, each on its own: after one Maven build of what they stand on
 * ({@link callguide.tools.Builds#testClasspaths}), each step's code and tests are compiled and run
 * by a {@link Watch} JVM of the step's own ({@code --runs 1}): one PeerConnectionFactory a JVM, and
 * a step whose code ends its JVM takes no other step's grades with it. At most {@link #parallel}
 * JVMs at a time, each for at most {@link #limit}.
 *
 * <p>What each step leaves in {@code OUT}: its grades, {@code <step>.jsonl} (the grade recorder's
 * lines); its JVM's output, {@code <step>.log}; what the run found and how long it took,
 * {@code <step>.outcome.json} (the next run starts the longest step first); and when it did not compile or its JVM did
 * not
 * finish, why, {@code <step>.error}, with no grades: {@link GradeReport} then counts every test of
 * the step as failed with that message, so a step never drops out of the score.
 */
public final class Grader {
    /** How long a step's JVM may run: as long as Surefire let a fork run before it. */
    public static final Duration STEP_LIMIT = Duration.ofSeconds(600);
    /**
     * A grading JVM runs once, for seconds: the quick compiler only, and the small collector. On 2
     * cores that halved the CPU time of grading step04's stubs (7.5 s to 3.9 s; its compile 3.2 s to 2.3 s).
     */
    private static final List<String> JVM = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
    /** The outcome of a step's last run, as its JVM wrote it: the sign that it finished, and how long it took. */
    static final String OUTCOME = ".outcome.json";
    /** What a contained step's code was refused, a line each ({@link Containment}). */
    public static final String VIOLATIONS = ".violations";
    /** Compile errors shown at most, as Maven's log did. */
    private static final int ERROR_LINES = 30;

    /**
     * One step to grade: its main code (the learner's, the solution, a stub), its tests, and its test classpath's file.
     */
    public record Job(String step, Path main, Path tests, Path resources, Path classpath) {
        public static Job of(Step step, Path main, Path root, Path classpath) {
            return new Job(step.module(), main, step.testSources(root), step.testResources(root), classpath);
        }
    }

    private final Context ctx;
    private final Duration limit;
    private final int parallel;
    private final boolean contained;
    /** When every step must be over, or null: a fork's time, shared by its steps. */
    private final java.time.Instant deadline;

    public Grader(Context ctx) {
        this(ctx, STEP_LIMIT, Runtime.getRuntime().availableProcessors(), false);
    }

    Grader(Context ctx, Duration limit, int parallel) {
        this(ctx, limit, parallel, false);
    }

    /**
     * {@code contained}: the code graded is a fork's, so each step's JVM runs in a folder of its own,
     * {@code OUT/sandbox/<step>} (its working directory and temporary folder), and its code may write nowhere else
     * ({@link Containment}); what it was refused goes to {@code <step>.violations}.
     */
    public Grader(Context ctx, Duration limit, int parallel, boolean contained) {
        this(ctx, limit, parallel, contained, null);
    }

    private Grader(Context ctx, Duration limit, int parallel, boolean contained, java.time.Instant deadline) {
        this.ctx = ctx;
        this.limit = limit;
        this.parallel = Math.max(1, parallel);
        this.contained = contained;
        this.deadline = deadline;
    }

    /**
     * The same grader, every step over by {@code deadline}: a step still running then is stopped, one not started is
     * not graded.
     */
    public Grader until(java.time.Instant deadline) {
        return new Grader(ctx, limit, parallel, contained, deadline);
    }

    /** Grades every job into {@code out}, at most {@link #parallel} at a time; returns once all are graded. */
    public void grade(List<Job> jobs, Path out) throws IOException {
        Files.createDirectories(out);
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallel, Math.max(1, jobs.size())), runnable -> {
            Thread thread = new Thread(runnable, "grader");
            thread.setDaemon(true);
            return thread;
        });
        // the longest first (as long as last time), so a long step does not start last and end late
        List<Job> order = new ArrayList<>(jobs);
        order.sort(java.util.Comparator.comparingLong((Job job) -> lastNanos(job, out))
                .reversed());
        try {
            List<Future<?>> running = new ArrayList<>();
            for (Job job : order) {
                running.add(pool.submit(() -> {
                    grade(job, out);
                    return null;
                }));
            }
            for (Future<?> future : running) {
                try {
                    future.get(); // each job is bounded by the limit: so is this wait
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof IOException io) {
                        throw io;
                    }
                    if (e.getCause() instanceof UncheckedIOException io) {
                        throw io.getCause();
                    }
                    throw new IllegalStateException(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while grading", e);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** A path as this grader's messages name it (relative to the workshop's root when under it). */
    String where(Path path) {
        return ctx.layout().relative(path);
    }

    /** How long the step's last run took, from its outcome; unknown counts as longest. */
    private static long lastNanos(Job job, Path out) {
        try {
            Watch.Outcome last = Watch.Outcome.read(out.resolve(job.step() + OUTCOME));
            return last.compileNanos() + last.testNanos();
        } catch (IOException | RuntimeException e) {
            return Long.MAX_VALUE;
        }
    }

    /** One step in a JVM of its own. */
    void grade(Job job, Path out) throws IOException {
        Path jsonl = out.resolve(job.step() + ".jsonl");
        Path error = out.resolve(job.step() + ".error");
        Path log = out.resolve(job.step() + ".log");
        Path outcomeFile = out.resolve(job.step() + OUTCOME);
        Path work = out.resolve("work").resolve(job.step());
        Path violations = out.resolve(job.step() + VIOLATIONS);
        for (Path stale : List.of(jsonl, error, outcomeFile, violations)) {
            Files.deleteIfExists(stale);
        }
        Files.createDirectories(work);
        Duration bound = limit;
        if (deadline != null) {
            Duration left = Duration.between(java.time.Instant.now(), deadline);
            if (left.isNegative() || left.isZero()) {
                Files.writeString(
                        error, "not graded: the fork's time ran out before this step started", StandardCharsets.UTF_8);
                return;
            }
            bound = left.compareTo(limit) < 0 ? left : limit;
        }
        List<String> jvm = new ArrayList<>(JVM);
        List<String> containment = new ArrayList<>();
        Path sandbox = out.resolve("sandbox").resolve(job.step());
        if (contained) {
            Files.createDirectories(sandbox.resolve("tmp"));
            if (Containment.AVAILABLE) {
                jvm.add("-Djava.security.manager=allow"); // a Java without it refuses to start with it
            }
            jvm.add("-Djava.io.tmpdir=" + sandbox.resolve("tmp"));
            containment.addAll(List.of("--contain", sandbox.toString(), "--violations", violations.toString()));
        }
        List<String> args = new ArrayList<>(List.of(
                "--step",
                job.step(),
                "--main",
                job.main().toString(),
                "--test",
                job.tests().toString(),
                "--resources",
                job.resources().toString(),
                "--work",
                work.toString(),
                "--grades",
                out.toString(),
                "--runs",
                "1",
                "--outcome",
                outcomeFile.toString()));
        args.addAll(containment);
        List<String> command = Watch.command(job.classpath(), jvm, args);
        ProcessBuilder process = ctx.process(command);
        if (contained) {
            process.directory(sandbox.toFile());
        }
        OptionalInt rc = Processes.loggedWithin(process, log, bound);
        String where = where(log);
        String why = null;
        if (rc.isEmpty()) {
            why = "the step's tests did not finish within " + bound.toSeconds()
                    + " s: their JVM was stopped (a test that never"
                    + " returns, in a way the per-test timeout cannot end; the log: " + where + ")";
        } else if (!Files.isRegularFile(outcomeFile)) {
            int exit = rc.getAsInt();
            why = exit > 128
                    ? "the step's tests did not finish: their JVM was killed by signal " + (exit - 128)
                            + " (a crash in native code, most likely through the step's code; the log: " + where + ")"
                    : "the step's tests did not finish: the step's code ended their JVM (exit " + exit
                            + ": System.exit or Runtime.halt in a test's path; the log: " + where + ")";
        } else {
            Watch.Outcome outcome = Watch.Outcome.read(outcomeFile);
            if (!outcome.compiled()) {
                StringBuilder text = new StringBuilder("the step does not compile (the log: " + where + "):\n");
                outcome.errors().stream()
                        .flatMap(String::lines)
                        .limit(ERROR_LINES)
                        .forEach(line -> text.append(line.startsWith(" ") ? line : "  " + line)
                                .append('\n'));
                why = text.toString();
            }
        }
        if (why != null) {
            // grades of a run that did not finish are not all of its tests: none count, every test fails with why
            Files.deleteIfExists(jsonl);
            Files.writeString(error, why, StandardCharsets.UTF_8);
        }
    }
}
