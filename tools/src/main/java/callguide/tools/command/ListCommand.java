package callguide.tools.command;

import callguide.tools.Step;
import callguide.tools.TasksLeft;
import callguide.tools.grading.GradeReport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
    private static final ObjectMapper JSON = new ObjectMapper();

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
                int[] all = new int[2];
                int[] whole = new int[2];
                for (String line : Files.readAllLines(jsonl, StandardCharsets.UTF_8)) {
                    if (line.isBlank()) {
                        continue;
                    }
                    JsonNode test = JSON.readTree(line);
                    int pass = "passed".equals(test.path("status").asText()) ? 1 : 0;
                    all[0] += pass;
                    all[1]++;
                    if (GradeReport.WHOLE_STEP.equals(test.path("task").asText())) {
                        whole[0] += pass;
                        whole[1]++;
                    }
                }
                grade = all[0] + " of " + all[1] + " tests pass"
                        + (whole[1] > 0 ? " (the whole step's row: " + whole[0] + " of " + whole[1] + ")" : "");
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
