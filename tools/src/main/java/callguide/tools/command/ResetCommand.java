package callguide.tools.command;

import callguide.tools.Backups;
import callguide.tools.Processes;
import callguide.tools.Step;
import callguide.tools.WorkshopException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code ./workshop reset STEP}: the exercise as committed; the learner's version kept in .workshop/backup/ (see
 * {@link Backups}), for {@code ./workshop restore STEP} to bring back.
 */
@Command(name = "reset")
public final class ResetCommand extends WorkshopCommand {
    @Parameters(arity = "0..*", parameterConsumer = Rest.class)
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
        if (args.size() != 1) {
            throw usage("reset STEP");
        }
        Step step = ctx().steps().parse(args.get(0));
        Path root = ctx().root();
        if (Processes.quiet(List.of("git", "-C", root.toString(), "rev-parse", "--verify", "-q", "HEAD")) != 0) {
            throw new WorkshopException(
                    "reset needs the workshop's git history (a clone of it) to restore the exercise from");
        }
        // Untouched (git sees no change there): nothing to keep, and no empty backup to mislead.
        if (asCommitted(root, step)) {
            ctx().say("the exercise of " + step + " is as committed: nothing to restore, nothing kept");
            return 0;
        }
        Path backup = new Backups(ctx().layout()).save(step, "");
        String sources = sources(root, step);
        if (Processes.quiet(List.of("git", "-C", root.toString(), "checkout", "HEAD", "--", sources)) != 0) {
            throw new WorkshopException("git could not restore " + sources + " (your version is in "
                    + ctx().layout().relative(backup) + ")");
        }
        // Files the learner added are not git's: the exercise as committed has none of them.
        Processes.quiet(List.of("git", "-C", root.toString(), "clean", "-q", "-f", "--", sources));
        Path hints = ctx().layout().state().resolve("hints");
        Files.deleteIfExists(hints.resolve(step.module()));
        if (Files.isDirectory(hints)) {
            try (Stream<Path> files = Files.list(hints)) {
                for (Path f : files.filter(f -> f.getFileName().toString().startsWith(step.module() + "."))
                        .toList()) {
                    Files.deleteIfExists(f);
                }
            }
        }
        Path grades = ctx().layout().grades();
        Files.deleteIfExists(grades.resolve(step.module() + ".jsonl"));
        Files.deleteIfExists(grades.resolve(step.module() + ".error"));
        ctx().say("back to the untouched exercise of " + step + "; your version is in "
                + ctx().layout().relative(backup) + " (./workshop restore " + step.no() + " brings it back)");
        return 0;
    }

    /** The step's sources relative to the root, as git names them: {@code step01-media/src/main/java}. */
    static String sources(Path root, Step step) {
        return root.relativize(step.mainSources(root)).toString().replace('\\', '/');
    }

    /** Whether git sees no change in the step's sources (none: there is no git to ask). */
    static boolean asCommitted(Path root, Step step) {
        return Processes.output(
                        List.of("git", "-C", root.toString(), "status", "--porcelain", "--", sources(root, step)))
                .map(String::isBlank)
                .orElse(false);
    }
}
