package callguide.tools.command;

import callguide.tools.Step;
import callguide.tools.WorkshopException;
import callguide.tools.grading.Baseline;
import callguide.tools.grading.Submission;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./workshop grade DIR [--json] [--out DIR]}: a learner's clone graded on the instructor's own tests
 * ({@link Submission}): only each step's {@code src/main/java} is taken from it. The table, or with
 * {@code --json} what {@code check --json} prints; exit 0 only when every test passed.
 */
@Command(name = "grade")
public final class GradeCommand extends WorkshopCommand {
    @Option(names = "--json")
    boolean json;

    @Option(names = "--out")
    Path outOption;

    @Parameters(arity = "0..*")
    List<String> args = new java.util.ArrayList<>();

    @Override
    public Integer call() throws IOException {
        if (args.size() != 1) {
            throw usage("grade DIR [--json] [--out DIR]   (DIR: a learner's clone of the workshop)");
        }
        Path learner = Path.of(args.get(0)).toAbsolutePath().normalize();
        List<Step> steps = ctx().steps().all();
        if (!Files.isDirectory(learner) || steps.stream().noneMatch(s -> Files.isDirectory(s.mainSources(learner)))) {
            throw new WorkshopException("no step of the workshop in " + learner + " (expected "
                    + steps.get(0).module() + "/src/main/java)");
        }
        Path out = outOption != null
                ? outOption.toAbsolutePath().normalize()
                : ctx().layout()
                        .state()
                        .resolve("grade")
                        .resolve(learner.getFileName().toString());
        ctx().preflight();
        if (Submission.uncontained() != null) {
            ctx().say(Submission.uncontained());
        }
        Baseline baseline = Baseline.at(ctx(), steps);
        if (!json) {
            ctx().say("grading " + learner + " on the tests of "
                    + baseline.commit().substring(0, 12) + " ...");
        }
        ObjectNode report = Submission.grade(
                Submission.grader(ctx(), Runtime.getRuntime().availableProcessors()), baseline, steps, learner, out);
        ctx().say("grades, JUnit XML and results.json: " + ctx().layout().relative(out));
        return CheckCommand.print(ctx(), report, json, out);
    }
}
