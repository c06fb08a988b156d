package callguide.tools.grading;

import callguide.tools.Step;
import callguide.tools.Trees;
import callguide.tools.WorkshopException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * A made-up class for the class's benchmark ({@code ./workshop bench class}) and its test: forks of the workshop as
 * committed, each a bare repository, at mixed stages in a fixed proportion (a learner in four each: half done,
 * done, broken, untouched; 30 learners are 8, 8, 7 and 7), and the FORKS file that names them. A step "done" is
 * the step's {@code src/main/java} replaced by solutions/'s, so the stage says what each row must score.
 */
public final class Cohort {
    /** The FORKS file's name in the class's folder. */
    public static final String FORKS = "FORKS";

    /**
     * How far a learner got, in the order the learners take them. Half done: the first steps from solutions/ (one
     * to all but one, more in each round of four); broken: as many, then the next step from solutions/ with a line
     * that does not compile.
     */
    public enum Stage {
        HALF,
        DONE,
        BROKEN,
        UNTOUCHED;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One generated learner.
     *
     * @param name the learner's name in FORKS (and so the fork's folder's in the class's output)
     * @param stage how far they got
     * @param done how many steps, from the first, are solutions/'s
     * @param broken the step that does not compile, or null
     * @param fork the bare repository
     */
    public record Learner(String name, Stage stage, int done, Step broken, Path fork) {}

    /** The line added to the broken step's first file: a class whose field has no value, so javac stops there. */
    static final String BROKEN_LINE = "class CallguideBroken { int unfinished = ; }";

    private Cohort() {}

    /**
     * {@code count} learners' forks of the workshop at {@code root} as committed at {@code commit}, under
     * {@code into/forks/}, and {@code into/FORKS} naming them (their file URLs, so any path fits on a line).
     */
    public static List<Learner> generate(Path root, String commit, List<Step> steps, int count, Path into)
            throws IOException {
        Path workshop = into.resolve("workshop");
        Trees.delete(workshop);
        Files.createDirectories(workshop);
        if (!Trees.archive(root, commit, workshop, List.of())) {
            throw new WorkshopException("git archive " + commit + " failed in " + root);
        }
        String digits = "%0" + String.valueOf(count).length() + "d";
        List<Learner> learners = new ArrayList<>();
        StringBuilder forks = new StringBuilder("# " + count + " generated learners of " + commit + "\n");
        for (int i = 0; i < count; i++) {
            Stage stage = Stage.values()[i % Stage.values().length];
            int round = i / Stage.values().length;
            // half done and broken: one step to all but one, one more each round, so their rows differ
            int some = steps.size() > 1 ? 1 + round % (steps.size() - 1) : 0;
            int done = switch (stage) {
                case UNTOUCHED -> 0;
                case DONE -> steps.size();
                case HALF, BROKEN -> some;
            };
            Step broken = stage == Stage.BROKEN ? steps.get(done) : null;
            String name = "learner-" + String.format(Locale.ROOT, digits, i + 1) + "-" + stage.label();
            Path work = into.resolve("work").resolve(name);
            Trees.delete(work);
            Trees.copy(workshop, work);
            for (Step step : steps.subList(0, done)) {
                solve(step, work);
            }
            if (broken != null) {
                solve(broken, work);
                breakStep(broken, work);
            }
            Path fork = Forks.bare(work, into.resolve("forks").resolve(name + ".git"), name + ": " + stage.label());
            Trees.delete(work);
            learners.add(new Learner(name, stage, done, broken, fork));
            forks.append(fork.toUri()).append(' ').append(name).append('\n');
        }
        Trees.delete(into.resolve("work"));
        Files.writeString(into.resolve(FORKS), forks, StandardCharsets.UTF_8);
        return learners;
    }

    /** The step's exercise replaced by solutions/'s, as a learner who finished it has it. */
    private static void solve(Step step, Path work) throws IOException {
        Trees.delete(step.mainSources(work));
        Trees.copy(step.solutionSources(work), step.mainSources(work));
    }

    /** The step's first source file given a line that does not compile. */
    private static void breakStep(Step step, Path work) throws IOException {
        Path first;
        try (Stream<Path> files = Files.walk(step.mainSources(work))) {
            first = files.filter(f -> f.toString().endsWith(".java"))
                    .sorted()
                    .findFirst()
                    .orElseThrow(() -> new WorkshopException("no source file in " + step.mainSources(work)));
        }
        Files.writeString(
                first,
                Files.readString(first, StandardCharsets.UTF_8) + "\n" + BROKEN_LINE + "\n",
                StandardCharsets.UTF_8);
    }
}
