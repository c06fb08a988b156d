package callguide.tools.command;

import callguide.tools.Layout;
import callguide.tools.Processes;
import callguide.tools.Step;
import callguide.tools.WorkshopException;
import callguide.tools.grading.Watch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code ./workshop watch STEP [--solutions]}: Maven builds what the step stands on once
 * ({@link callguide.tools.Builds#testClasspaths}, as {@code check} does), then a
 * JVM kept warm ({@link Watch}) re-runs the step's tests on every save. When the step's code ends
 * that JVM, or a test timed out in it, a fresh one waits for the next save.
 */
@Command(name = "watch")
public final class WatchCommand extends WorkshopCommand {
    private static final String SYNOPSIS = "watch STEP [--solutions]";

    @Parameters(arity = "0..*", parameterConsumer = Rest.class)
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        Step step = null;
        boolean solutions = false;
        String runs = "0";
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--solutions")) {
                solutions = true;
            } else if (a.equals("--runs")) {
                runs = i + 1 < args.size() ? args.get(++i) : "";
                if (!runs.matches("[0-9]+")) {
                    throw new WorkshopException("--runs needs a number");
                }
            } else if (step == null) {
                step = ctx().steps().parse(a);
            } else {
                throw usage(SYNOPSIS);
            }
        }
        if (step == null) {
            throw usage(SYNOPSIS);
        }
        Path root = ctx().root();
        String flavour = solutions ? Layout.SOLUTIONS_FLAVOUR : Layout.stepFlavour(step);
        Path main = solutions ? step.solutionSources(root) : step.mainSources(root);
        ctx().preflight();
        Path work = ctx().layout().state().resolve("watch").resolve(step.module() + "-" + flavour);
        Files.createDirectories(work);
        doing("watching " + step + ": the build of what it stands on (once), then a JVM kept warm grades it on every "
                + "save");
        Path classpath = builds().testClasspaths(List.of(step)).get(step);
        String start = "now";
        while (true) {
            List<String> command = Watch.command(
                    classpath,
                    List.of(),
                    List.of(
                            "--step",
                            step.module(),
                            "--main",
                            main.toString(),
                            "--test",
                            step.testSources(root).toString(),
                            "--resources",
                            step.testResources(root).toString(),
                            "--work",
                            work.toString(),
                            "--runs",
                            runs,
                            "--start",
                            start));
            int rc = Processes.filtered(ctx().process(command), ctx().out());
            // 0: done (--runs); 130/143: Ctrl-C or kill; 75: a test timed out (Watch said so), a fresh JVM
            // for the next run. Anything else: the step's code ended the JVM. Either way the next JVM
            // waits for a save, so the same code does not end it again and again.
            if (rc == 0 || rc == 130 || rc == 143 || !runs.equals("0")) {
                return rc;
            }
            if (rc > 128) {
                ctx().say("workshop: the watching JVM was killed by signal " + (rc - 128)
                        + ": a crash in native code, most likely"
                        + " through the step's code (a closed peer connection used again, say)");
            } else if (rc != 75) {
                ctx().say("workshop: the step's code ended the watching JVM (exit " + rc
                        + ": System.exit or Runtime.halt in a test's path)");
            }
            start = "after-change";
        }
    }
}
