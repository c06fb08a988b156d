package callguide.tools.grading;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Whether a step's tests have teeth, from its grades on the untouched exercise: the run finished,
 * every exercise file has its TODO marker, no test passes (a test that passes on the stub
 * cannot tell a learner anything; Exercism's and rustlings' rule), and every task the stub names has a test of its
 * own (a task with only whole-step tests has no row that tells the learner the task is right). A run whose JVM hung
 * or died left no grades ({@link Grader} says why in {@code <step>.error}), so it never passes.
 */
public final class Teeth {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Teeth() {}

    /** The verdict's row of the suite's table, and whether it passed. */
    public record Verdict(boolean ok, String row) {}

    /**
     * {@code noTodo}: the exercise files without the step's marker; {@code stubbed}: the tasks the stub's
     * {@code Todo.task} calls name ({@link callguide.tools.TasksLeft}).
     */
    public static Verdict verdict(String step, Path dir, List<Path> noTodo, Set<Integer> stubbed) throws IOException {
        Path lines = dir.resolve(step + ".jsonl");
        if (!Files.exists(lines) || Files.size(lines) == 0) {
            Path error = dir.resolve(step + ".error");
            String first = Files.exists(error)
                    ? Files.readAllLines(error, StandardCharsets.UTF_8).stream()
                            .findFirst()
                            .orElse("")
                    : "";
            return failed(step, "the stub run produced no grades (" + first + ")");
        }
        Set<Integer> tasks = new TreeSet<>();
        Set<Integer> failingTasks = new TreeSet<>();
        int total = 0;
        int failing = 0;
        List<String> passing = new java.util.ArrayList<>();
        for (String line : Files.readAllLines(lines, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode test = JSON.readTree(line);
            boolean failed = "failed".equals(test.path("status").asText());
            total++;
            failing += failed ? 1 : 0;
            if (!failed) {
                passing.add(test.path("name").asText());
            }
            if (test.path("task").isInt()) {
                tasks.add(test.get("task").asInt());
                if (failed) {
                    failingTasks.add(test.get("task").asInt());
                }
            }
        }
        if (!noTodo.isEmpty()) {
            return failed(
                    step,
                    "no TODO marker in "
                            + noTodo.stream().map(p -> p.getFileName() + " ").collect(Collectors.joining()));
        }
        if (!passing.isEmpty()) {
            return failed(
                    step,
                    passing.size() + " of " + total + " tests do not fail on the untouched exercise: "
                            + String.join("; ", passing));
        }
        Set<Integer> untested = without(stubbed, tasks);
        if (!untested.isEmpty()) {
            return failed(
                    step,
                    "no test of its own for task " + numbers(untested, " ")
                            + " (only whole-step tests, or none): a learner working on it gets no row that says it "
                            + "is right");
        }
        Set<Integer> missing = without(tasks, failingTasks);
        if (!missing.isEmpty()) {
            return failed(step, "no failing test for task " + numbers(missing, " "));
        }
        return new Verdict(
                true,
                String.format(
                        "%-22s %s",
                        step,
                        "ok: " + failing + " of " + total + " tests fail, every task ("
                                + numbers(tasks, ",")
                                + ") has a failing one, every file has a TODO"));
    }

    /**
     * The verdict's row with how the same tests did with the reference solution in the suite's build ({@code passed}
     * and {@code failed} from its reports): every one should pass, so the row shows both ends, none on the stub and
     * all with solutions/. The verdict stays the stub's: a failing solution already fails the suite's build.
     */
    public static Verdict withSolutions(Verdict stub, long passed, long failed) {
        String solutions = passed + failed == 0
                ? "no reports (the suite's build stopped before this step's tests)"
                : passed + " of " + (passed + failed) + " pass" + (failed == 0 ? "" : ", " + failed + " FAILED");
        return new Verdict(stub.ok(), stub.row() + "; with solutions/: " + solutions);
    }

    private static Set<Integer> without(Set<Integer> all, Set<Integer> these) {
        Set<Integer> rest = new TreeSet<>(all);
        rest.removeAll(these);
        return rest;
    }

    private static String numbers(Set<Integer> tasks, String separator) {
        return tasks.stream().map(String::valueOf).collect(Collectors.joining(separator));
    }

    private static Verdict failed(String step, String why) {
        return new Verdict(false, String.format("%-22s %s", step, "FAILED: " + why));
    }
}
