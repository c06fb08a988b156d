package callguide.tools.grading;

import callguide.tools.Context;
import callguide.tools.Step;
import callguide.tools.Trees;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
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

    /** Grades the learner's clone {@code learner} into {@code out}; the report, in check's shape. */
    public static ObjectNode grade(Grader grader, Baseline baseline, List<Step> steps, Path learner, Path out)
            throws IOException {
        Files.createDirectories(out);
        Path sources = out.resolve("sources");
        Trees.delete(sources);
        List<Grader.Job> jobs = new ArrayList<>();
        for (Step step : steps) {
            Path main = sources.resolve(step.module());
            Files.createDirectories(main);
            Trees.copy(step.mainSources(learner), main);
            jobs.add(baseline.job(step, main));
        }
        Trees.delete(out.resolve("sandbox"));
        grader.grade(jobs, out);
        ObjectNode report =
                GradeReport.report(out, steps.stream().map(Step::module).toList(), baseline.root());
        GradeReport.writeJunit(out.resolve("junit"), report);
        return report;
    }

    /** A grader for learners' code: contained, each step in its own JVM, {@code parallel} at a time. */
    public static Grader grader(Context ctx, int parallel) {
        return new Grader(ctx, Grader.STEP_LIMIT, parallel, true);
    }
}
