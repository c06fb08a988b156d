package callguide.tools.command;

import callguide.tools.Context;
import callguide.tools.Step;
import callguide.tools.grading.Drift;
import callguide.tools.grading.GradeReport;
import callguide.tools.grading.Grader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./workshop check [STEP...] [--solutions] [--json]}: grades one step, several or all, each in
 * isolation (its code, every other step from solutions/): one Maven build of what they stand on,
 * then each step in a JVM of its own ({@link Grader}); the table, or only the JSON on standard
 * output; JUnit XML a step; exit 0 only when every test passed.
 */
@Command(name = "check")
public final class CheckCommand extends WorkshopCommand {
    @Option(names = "--solutions")
    boolean solutions;

    @Option(names = "--json")
    boolean json;

    @Parameters(arity = "0..*")
    List<String> stepArgs = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
        Set<Step> chosen = new LinkedHashSet<>();
        for (String arg : stepArgs) {
            chosen.add(ctx().steps().parse(arg));
        }
        List<Step> steps = chosen.isEmpty() ? ctx().steps().all() : new ArrayList<>(chosen);
        ctx().preflight();
        if (!solutions) {
            Drift.warnings(ctx().root(), steps).forEach(ctx()::say);
        }
        Path out = solutions ? ctx().layout().solutionGrades() : ctx().layout().grades();
        if (!json) {
            doing("checking "
                    + String.join(", ", steps.stream().map(Step::module).toList())
                    + ": the build of what they stand on, then each step's tests in a JVM of its own");
        }
        Map<Step, Path> classpaths = builds().testClasspaths(steps);
        Path root = ctx().root();
        new Grader(ctx())
                .grade(
                        steps.stream()
                                .map(s -> Grader.Job.of(
                                        s,
                                        solutions ? s.solutionSources(root) : s.mainSources(root),
                                        root,
                                        classpaths.get(s)))
                                .toList(),
                        out);
        int rc = report(out, steps);
        List<String> files = steps.stream()
                .map(s -> ctx().layout()
                        .relative(out.resolve("junit").resolve(s.module()).resolve("TEST-" + s.module() + ".xml")))
                .toList();
        ctx().say("JUnit XML: " + String.join(" ", files)
                + (json ? "" : "; the same grades as JSON: " + asJson(chosen, solutions)));
        return rc;
    }

    /**
     * The command that prints these grades as JSON: the same steps and flags, with {@code --json} (a bare {@code check
     * --json} after {@code check 01} would grade every step, for minutes).
     */
    static String asJson(Set<Step> chosen, boolean solutions) {
        StringBuilder command = new StringBuilder("./workshop check");
        chosen.forEach(step -> command.append(' ').append(step.no()));
        return command.append(solutions ? " --solutions" : "").append(" --json").toString();
    }

    /** The report on standard output (the table or the JSON), the JUnit XML written; 0 only when every test passed. */
    private int report(Path out, List<Step> steps) throws IOException {
        ObjectNode report =
                GradeReport.report(out, steps.stream().map(Step::module).toList(), ctx().root());
        GradeReport.writeJunit(out.resolve("junit"), report);
        return print(ctx(), report, json, out);
    }

    /**
     * A report on standard output, the table or the JSON; 0 only when every test passed. The table says, when it cut
     * a message short, that it is whole in the step's results.json and JUnit XML under {@code out}.
     */
    static int print(Context ctx, JsonNode report, boolean json, Path out) throws IOException {
        JsonNode steps = report.get("steps");
        String step = steps.size() == 1 ? steps.get(0).get("step").asText() : "STEP";
        String junit =
                ctx.layout().relative(out.resolve("junit")) + java.io.File.separator + step + java.io.File.separator;
        String whole = junit + GradeReport.RESULTS + " and " + junit + "TEST-" + step + ".xml";
        ctx.out()
                .println(
                        json
                                ? new ObjectMapper()
                                        .writerWithDefaultPrettyPrinter()
                                        .writeValueAsString(report)
                                : GradeReport.table(report, whole));
        ctx.out().flush();
        JsonNode score = report.get("score");
        int total = score.get("total").asInt();
        return total > 0 && score.get("passed").asInt() == total ? 0 : 1;
    }
}
