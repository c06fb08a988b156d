package callguide.tools.command;

import callguide.tools.Step;
import callguide.tools.UnifiedDiff;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code ./workshop diff STEP}: the learner's code against the reference solution, as {@code diff -ru} shows it, after
 * a legend saying which side is whose.
 */
@Command(name = "diff")
public final class DiffCommand extends WorkshopCommand {
    @Parameters(arity = "0..*", parameterConsumer = Rest.class)
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
        if (args.size() != 1) {
            throw usage("diff STEP");
        }
        Step step = ctx().steps().parse(args.get(0));
        Path root = ctx().root();
        Path solution = root.relativize(step.solutionSources(root));
        Path mine = root.relativize(step.mainSources(root));
        boolean same = new UnifiedDiff(root, ctx().out(), ctx().err())
                .legend(
                        "--- is the reference solution (" + solution + "), +++ is your code (" + mine + "):",
                        "lines starting with - are the solution's, lines starting with + are yours",
                        "")
                .trees(solution, mine);
        if (same) {
            ctx().say(step + " is the same as the reference solution");
        }
        return 0;
    }
}
