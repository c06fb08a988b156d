package callguide.tools.command;

import callguide.tools.Processes;
import callguide.tools.Step;
import callguide.tools.Trees;
import callguide.tools.WorkshopException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code ./workshop reset STEP}: the exercise as committed; the learner's version kept in .workshop/backup/. */
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
        String sources = root.relativize(step.mainSources(root)).toString().replace('\\', '/');
        // Untouched (git sees no change there): nothing to keep, and no empty backup to mislead.
        if (Processes.output(List.of("git", "-C", root.toString(), "status", "--porcelain", "--", sources))
                .map(String::isBlank)
                .orElse(false)) {
            ctx().say("the exercise of " + step + " is as committed: nothing to restore, nothing kept");
            return 0;
        }
        Path backups = ctx().layout().state().resolve("backup");
        String stamp = step.module() + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path backup = backups.resolve(stamp);
        // Two resets in one second: each keeps its own copy, the earlier one is never overwritten.
        for (int n = 2; Files.exists(backup); n++) {
            backup = backups.resolve(stamp + "-" + n);
        }
        Files.createDirectories(backup);
        Trees.copy(step.mainSources(root), backup);
        if (Processes.quiet(List.of("git", "-C", root.toString(), "checkout", "HEAD", "--", sources)) != 0) {
            throw new WorkshopException("git could not restore " + sources + " (your version is in "
                    + ctx().layout().relative(backup) + ")");
        }
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
        ctx().say("restored the exercise of " + step + "; your version is in "
                + ctx().layout().relative(backup));
        return 0;
    }
}
