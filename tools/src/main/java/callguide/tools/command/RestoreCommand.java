package callguide.tools.command;

import callguide.tools.Backups;
import callguide.tools.Step;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code ./workshop restore STEP}: the learner's version that the last {@code reset} kept, back in place. What it
 * replaces is kept too, unless it is the exercise as committed or that same version: nothing is ever lost.
 */
@Command(name = "restore")
public final class RestoreCommand extends WorkshopCommand {
    @Parameters(arity = "0..*", parameterConsumer = Rest.class)
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
        if (args.size() != 1) {
            throw usage("restore STEP");
        }
        Step step = ctx().steps().parse(args.get(0));
        Path root = ctx().root();
        Backups backups = new Backups(ctx().layout());
        Optional<Path> newest = backups.newest(step);
        if (newest.isEmpty()) {
            ctx().say("no version of " + step + " kept by ./workshop reset (in "
                    + ctx().layout().relative(backups.dir()) + "): nothing restored, nothing changed");
            return 0;
        }
        Path code = backups.code(newest.get(), step);
        if (Backups.sameTree(code, step.mainSources(root))) {
            ctx().say(step + " is already the version kept in " + ctx().layout().relative(newest.get())
                    + ": nothing changed");
            return 0;
        }
        String replaced = "";
        if (!ResetCommand.asCommitted(root, step)) {
            replaced =
                    "; the version it replaced is in " + ctx().layout().relative(backups.save(step, Backups.REPLACED));
        }
        backups.restore(step, code);
        ctx().say("restored " + step + " from " + ctx().layout().relative(newest.get()) + ", the version ./workshop "
                + "reset kept" + replaced);
        return 0;
    }
}
