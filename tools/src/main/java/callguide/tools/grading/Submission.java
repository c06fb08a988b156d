package callguide.tools.grading;

import callguide.tools.Context;
import callguide.tools.Step;
import callguide.tools.Trees;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One learner's work graded on the instructor's tests ({@code ./workshop grade DIR}, and each fork of
 * {@code ./workshop class}): each step's {@code src/main/java} copied out of the learner's clone into
 * {@code OUT/sources/<step>} (regular files only), then graded as {@code check} grades, on the {@link Baseline}'s
 * tests and build, each step's JVM contained ({@link Containment}). What it leaves in {@code OUT} is what
 * {@code check} leaves in {@code .workshop/grades}: a step's grades, log and error, and {@code junit/<step>/} with
 * the JUnit XML and {@code results.json}.
 */
public final class Submission {
    private Submission() {}

    /** What a step's grading leaves that its grades are made of: kept in the cache, brought back from it. */
    private static final List<String> KEPT = List.of(".jsonl", ".error", Grader.VIOLATIONS, ".log");
    /** Where a kept step was graded first. */
    private static final String ORIGIN = "origin.txt";

    /** Grades the learner's clone {@code learner} into {@code out}; the report, in check's shape. */
    public static ObjectNode grade(Grader grader, Baseline baseline, List<Step> steps, Path learner, Path out)
            throws IOException {
        return grade(grader, baseline, steps, learner, out, null);
    }

    /**
     * The same, with a cache of step grades ({@code null}: none): a step whose sources are byte for byte those of a
     * step graded before on the same baseline (an untouched exercise, say) takes that grading's grades instead of a
     * JVM of its own. A step stopped at its time is never kept: it is graded again.
     */
    public static ObjectNode grade(
            Grader grader, Baseline baseline, List<Step> steps, Path learner, Path out, Path cache) throws IOException {
        Files.createDirectories(out);
        Path sources = out.resolve("sources");
        Trees.delete(sources);
        Trees.delete(out.resolve("sandbox"));
        List<Grader.Job> jobs = new ArrayList<>();
        java.util.Map<String, Path> keys = new java.util.HashMap<>();
        for (Step step : steps) {
            Path main = sources.resolve(step.module());
            Files.createDirectories(main);
            Trees.copy(step.mainSources(learner), main);
            if (cache != null) {
                Path key =
                        cache.resolve(baseline.commit()).resolve(step.module()).resolve(Trees.sha256(main));
                keys.put(step.module(), key);
                if (Files.isDirectory(key)) {
                    String origin = Files.readString(key.resolve(ORIGIN), StandardCharsets.UTF_8);
                    // the outcome of this fork's own last run of the step, if any, is not what its grades are now
                    Files.deleteIfExists(out.resolve(step.module() + Grader.OUTCOME));
                    for (String kind : KEPT) {
                        Path from = key.resolve(step.module() + kind);
                        Path to = out.resolve(step.module() + kind);
                        Files.deleteIfExists(to);
                        if (Files.isRegularFile(from)) {
                            Files.copy(from, to);
                        }
                    }
                    // the error names its log where it was graded first: name this fork's copy of it
                    Path error = out.resolve(step.module() + ".error");
                    if (Files.isRegularFile(error)) {
                        Files.writeString(
                                error,
                                Files.readString(error, StandardCharsets.UTF_8).replace(origin, grader.where(out)),
                                StandardCharsets.UTF_8);
                    }
                    continue;
                }
            }
            jobs.add(baseline.job(step, main));
        }
        grader.grade(jobs, out);
        for (Grader.Job job : jobs) {
            Path key = keys.get(job.step());
            Path error = out.resolve(job.step() + ".error");
            boolean cut = Files.isRegularFile(error)
                    && (Files.readString(error).startsWith("not graded")
                            || Files.readString(error).contains("within"));
            if (key != null && !cut) {
                Path partial = Files.createTempDirectory(Files.createDirectories(key.getParent()), "partial");
                for (String kind : KEPT) {
                    Path from = out.resolve(job.step() + kind);
                    if (Files.isRegularFile(from)) {
                        Files.copy(from, partial.resolve(job.step() + kind));
                    }
                }
                Files.writeString(partial.resolve(ORIGIN), grader.where(out), StandardCharsets.UTF_8);
                try {
                    Files.move(partial, key, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException taken) {
                    Trees.delete(partial); // another fork with the same sources kept its grades first
                }
            }
        }
        ObjectNode report =
                GradeReport.report(out, steps.stream().map(Step::module).toList(), baseline.root());
        GradeReport.writeJunit(out.resolve("junit"), report);
        return report;
    }

    /** Why a fork's code cannot be contained on this Java, or null when it can. */
    public static String uncontained() {
        return Containment.AVAILABLE
                ? null
                : "warning: Java " + Runtime.version().feature() + " has no security manager, so a fork's code runs"
                        + " uncontained here (in a folder of its own, but free to write elsewhere): grade forks you"
                        + " do not trust with Java 17 to 23";
    }

    /** A grader for learners' code: contained, each step in its own JVM, {@code parallel} at a time. */
    public static Grader grader(Context ctx, int parallel) {
        return new Grader(ctx, Grader.STEP_LIMIT, parallel, true);
    }
}
