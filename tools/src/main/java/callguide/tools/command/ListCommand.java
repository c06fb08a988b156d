package callguide.tools.command;

import callguide.tools.Step;
import callguide.tools.TasksLeft;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code ./workshop list}: each step's tasks left (those whose stub still throws its {@code Todo}, see
 * {@link TasksLeft}) and its last grade.
 */
@Command(name = "list")
public final class ListCommand extends WorkshopCommand {
    @Parameters(arity = "0..*", parameterConsumer = Rest.class, hidden = true)
    List<String> ignored = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
        ctx().out().printf("%-22s %-11s %s%n", "step", "tasks left", "last check");
        Path grades = ctx().layout().grades();
        for (Step step : ctx().steps().all()) {
            String grade = "not checked yet (./workshop check " + step.no() + ")";
            Path jsonl = grades.resolve(step.module() + ".jsonl");
            if (Files.exists(grades.resolve(step.module() + ".error"))) {
                grade = "did not build at the last check (./workshop check " + step.no() + " says why)";
            } else if (Files.exists(jsonl)) {
                List<String> lines = Files.readAllLines(jsonl, StandardCharsets.UTF_8);
                long passed = lines.stream()
                        .filter(l -> l.contains("\"status\":\"passed\""))
                        .count();
                long total =
                        lines.stream().filter(l -> l.contains("\"status\"")).count();
                grade = passed + " of " + total + " tests pass";
            }
            SortedSet<Integer> left = TasksLeft.in(step.mainSources(ctx().root()), step);
            String tasks =
                    left.isEmpty() ? "none" : left.stream().map(String::valueOf).collect(Collectors.joining(" "));
            ctx().out().printf("%-22s %-11s %s%n", step, tasks, grade);
        }
        ctx().out().flush();
        return 0;
    }
}
