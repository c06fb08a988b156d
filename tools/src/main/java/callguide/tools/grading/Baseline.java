package callguide.tools.grading;

import callguide.tools.Builds;
import callguide.tools.Context;
import callguide.tools.Step;
import callguide.tools.Trees;
import callguide.tools.WorkshopException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a fork is graded on: the workshop as the instructor committed it ({@code HEAD} of the instructor's clone,
 * never its working tree), taken out of git into {@code .workshop/baseline/<commit>} and built there once with
 * Maven: the steps' tests and resources, and each step's test classpath (the kit, the testkit, the relay, the
 * earlier steps from solutions/). A fork brings only each step's {@code src/main/java}; nothing else in it (its
 * tests, kit, poms, solutions, tools) is read.
 *
 * @param commit the instructor's revision
 * @param root where it was taken out
 * @param classpaths each step's test classpath file
 */
public record Baseline(String commit, Path root, Map<Step, Path> classpaths) {
    private static final String READY = ".ready";

    /** The baseline at the instructor's HEAD, taken out and built the first time it is asked for. */
    public static Baseline at(Context ctx, List<Step> steps) throws IOException {
        String commit = Trees.head(ctx.root())
                .orElseThrow(() -> new WorkshopException("grading a fork needs the workshop as a git clone (the"
                        + " instructor's revision is what the fork is graded on); " + ctx.root() + " is not one"));
        Path root = dir(ctx, commit);
        Builds builds = new Builds(new Context(root, ctx.env(), ctx.out(), ctx.err(), ctx.machine()));
        if (!Files.isRegularFile(root.resolve(READY))) {
            ctx.say("taking the workshop at " + commit.substring(0, 12) + " (its tests, kit and poms) out of git into "
                    + ctx.layout().relative(root) + " and building it once ...");
            Path partial = root.resolveSibling(commit + ".partial");
            Trees.delete(partial);
            Files.createDirectories(partial);
            if (!Trees.archive(ctx.root(), commit, partial, List.of())) {
                throw new WorkshopException("git archive " + commit + " failed in " + ctx.root());
            }
            Trees.delete(root);
            Files.move(partial, root, StandardCopyOption.ATOMIC_MOVE);
        }
        Map<Step, Path> classpaths = new LinkedHashMap<>();
        for (Step step : steps) {
            classpaths.put(
                    step,
                    new callguide.tools.Layout(root)
                            .target(step.module(), callguide.tools.Layout.SOLUTIONS_FLAVOUR)
                            .resolve(Builds.TEST_CLASSPATH));
        }
        // a commit's build never changes: Maven once, unless a step's classpath is missing (a new step asked for)
        if (!Files.isRegularFile(root.resolve(READY))
                || !classpaths.values().stream().allMatch(Files::isRegularFile)) {
            classpaths = new LinkedHashMap<>(builds.testClasspaths(steps));
            Files.writeString(root.resolve(READY), commit + "\n", StandardCharsets.UTF_8);
        }
        return new Baseline(commit, root, classpaths);
    }

    /** Whether the baseline at the instructor's HEAD was taken out and built before: {@link #at} will be quick. */
    public static boolean built(Context ctx) {
        return Trees.head(ctx.root())
                .map(commit -> Files.isRegularFile(dir(ctx, commit).resolve(READY)))
                .orElse(false);
    }

    private static Path dir(Context ctx, String commit) {
        return ctx.layout().state().resolve("baseline").resolve(commit);
    }

    /** A step's job: the fork's main sources (already copied out of the fork) on the baseline's tests. */
    Grader.Job job(Step step, Path main) {
        return Grader.Job.of(step, main, root, classpaths.get(step));
    }
}
