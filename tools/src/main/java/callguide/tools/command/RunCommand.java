package callguide.tools.command;

import callguide.tools.Layout;
import callguide.tools.Step;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code ./workshop run STEP [--solutions] [ARGS]}: one step's program, its events as they happen. */
@Command(name = "run")
public final class RunCommand extends WorkshopCommand {
    @Parameters(arity = "0..*", parameterConsumer = Rest.class)
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() {
        if (args.isEmpty()) {
            throw usage("run STEP [--solutions] [ARGS]");
        }
        Step step = ctx().steps().parse(args.get(0));
        List<String> rest = new ArrayList<>(args.subList(1, args.size()));
        String flavour = rest.removeIf("--solutions"::equals) ? Layout.SOLUTIONS_FLAVOUR : Layout.MINE;
        ctx().preflight();
        doing("running " + step + "'s program with " + (flavour.equals(Layout.MINE) ? "your code" : "the solutions")
                + ": the build, then the program");
        builds().build(flavour);
        return builds().javaMain(Layout.CALL_MODULE, flavour, step.runMain(), List.of(), rest);
    }
}
