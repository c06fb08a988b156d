package callguide.tools.command;

import callguide.tools.Step;
import callguide.tools.WorkshopException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code ./workshop hint STEP [TASK] [--answer]}: the next {@code ### Hint} of a task in the step's
 * HINTS.md, one at a time, round and round; without TASK, of the first task that does not pass and
 * whose hints have not all been shown yet. What was shown is kept in {@code .workshop/hints/<step>.task<N>}.
 * A task's {@code ### Answer} section is shown only with {@code --answer}; a task whose tests all
 * passed at the last check gets no hint, but the way to compare with the reference.
 */
@Command(name = "hint")
public final class HintCommand extends WorkshopCommand {
    /** The heading of the section {@code hint} keeps back unless asked with {@code --answer}. */
    public static final String ANSWER = "### Answer";

    private static final String USAGE = "hint STEP [TASK] [--answer]";

    @Parameters(arity = "0..*", parameterConsumer = Rest.class)
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
        List<String> rest = new ArrayList<>(args);
        boolean answer = rest.removeIf("--answer"::equals);
        if (rest.isEmpty() || rest.size() > 2) {
            throw usage(USAGE);
        }
        Step step = ctx().steps().parse(rest.get(0));
        if (answer && rest.size() != 2) {
            throw new WorkshopException("--answer needs the task: ./workshop hint " + step.no() + " TASK --answer");
        }
        Path file = step.hints(ctx().root());
        String shown = ctx().layout().relative(file);
        if (!Files.isRegularFile(file)) {
            throw new WorkshopException("no hints for " + step);
        }
        List<Task> tasks = tasks(Files.readAllLines(file, StandardCharsets.UTF_8));
        if (tasks.isEmpty()) {
            throw new WorkshopException(shown + " has no task sections");
        }
        Path seen = ctx().layout().state().resolve("hints");
        Files.createDirectories(seen);
        Passing passing = Passing.of(ctx().layout().grades(), step);
        int task = 0;
        if (rest.size() == 2) {
            task = rest.get(1).matches("[0-9]{1,9}") ? Integer.parseInt(rest.get(1)) : -1;
            if (task < 1 || task > tasks.size()) {
                throw new WorkshopException(step + " has tasks 1 to " + tasks.size() + ", not '" + rest.get(1) + "'");
            }
        } else {
            for (int t = tasks.size(); t >= 1; t--) {
                if (!passing.task(t)
                        && seen(seen, step, t) < tasks.get(t - 1).hints().size()) {
                    task = t;
                }
            }
            if (task == 0) {
                for (int t = tasks.size(); t >= 1; t--) {
                    if (!passing.task(t)) {
                        task = t;
                    }
                }
            }
            if (task == 0) {
                return passes(step, "every task of " + step);
            }
        }
        Task chosen = tasks.get(task - 1);
        if (answer) {
            List<String> section = chosen.answer()
                    .orElseThrow(() -> new WorkshopException(
                            "task " + rest.get(1) + " of " + step + " has no " + ANSWER + " section in " + shown));
            ctx().out().println(chosen.heading());
            section.forEach(ctx().out()::println);
            ctx().out().println();
            ctx().out()
                    .println("(the answer to task " + rest.get(1) + " of " + step + "; yours next to the reference: "
                            + "./workshop diff " + step.no() + ")");
            ctx().out().flush();
            return 0;
        }
        if (passing.task(task)) {
            return passes(step, "task " + task + " of " + step);
        }
        int count = chosen.hints().size();
        if (count == 0) {
            throw new WorkshopException("task " + task + " of " + step + " has no hints in " + shown);
        }
        int before = seen(seen, step, task);
        int next = before % count + 1;
        if (before > 0 && next == 1) {
            // Round again: said, so a learner asking once more does not think hint 1 is new.
            ctx().out()
                    .println("(that was the last hint of task " + task + "; again from hint 1; the answer: "
                            + "./workshop hint " + step.no() + " " + task + " --answer)");
        }
        ctx().out().println(chosen.heading());
        chosen.hints().get(next - 1).forEach(ctx().out()::println);
        ctx().out().println();
        String again = next < count
                ? "./workshop hint " + step.no() + " " + task + " again for the next"
                : "the last; still stuck: ./workshop hint " + step.no() + " " + task + " --answer";
        ctx().out()
                .println("(task " + task + ", hint " + next + " of " + count + "; " + again + "; all of them: " + shown
                        + ")");
        ctx().out().flush();
        Files.writeString(seen.resolve(step.module() + ".task" + task), next + "\n", StandardCharsets.UTF_8);
        return 0;
    }

    private int passes(Step step, String what) {
        ctx().out()
                .println(what + " passes (at the last check): no hint needed. Yours next to the reference: "
                        + "./workshop diff " + step.no());
        ctx().out().flush();
        return 0;
    }

    /** One task of a HINTS.md: its {@code ## } heading, its hints in order, and its answer if it has one. */
    record Task(String heading, List<List<String>> hints, Optional<List<String>> answer) {}

    /**
     * The file's tasks ({@code ## } sections), each with its hints ({@code ### } and the lines up to the
     * next heading) and its {@link #ANSWER} section, kept apart.
     */
    static List<Task> tasks(List<String> lines) {
        List<Task> tasks = new ArrayList<>();
        String heading = null;
        List<List<String>> hints = new ArrayList<>();
        List<String> answer = null;
        List<String> part = null;
        for (String line : lines) {
            if (line.startsWith("## ")) {
                if (heading != null) {
                    tasks.add(new Task(heading, hints, Optional.ofNullable(answer)));
                }
                heading = line;
                hints = new ArrayList<>();
                answer = null;
                part = null;
            } else if (line.startsWith("### ") && heading != null) {
                part = new ArrayList<>();
                part.add(line);
                if (line.strip().equals(ANSWER)) {
                    answer = part;
                } else {
                    hints.add(part);
                }
            } else if (part != null) {
                part.add(line);
            }
        }
        if (heading != null) {
            tasks.add(new Task(heading, hints, Optional.ofNullable(answer)));
        }
        return tasks;
    }

    /** The tasks whose tests all passed at the step's last check (none when it did not build). */
    private record Passing(List<Integer> passed, List<Integer> failed) {
        static Passing of(Path grades, Step step) throws IOException {
            Path jsonl = grades.resolve(step.module() + ".jsonl");
            List<Integer> passed = new ArrayList<>();
            List<Integer> failed = new ArrayList<>();
            if (Files.exists(grades.resolve(step.module() + ".error")) || !Files.isRegularFile(jsonl)) {
                return new Passing(passed, failed);
            }
            ObjectMapper json = new ObjectMapper();
            for (String line : Files.readAllLines(jsonl, StandardCharsets.UTF_8)) {
                JsonNode test;
                try {
                    test = json.readTree(line);
                } catch (IOException notJson) {
                    continue; // a torn line: that test counts as neither
                }
                if (test != null && test.path("task").isInt()) {
                    ("passed".equals(test.path("status").asText()) ? passed : failed)
                            .add(test.get("task").asInt());
                }
            }
            return new Passing(passed, failed);
        }

        boolean task(int task) {
            return passed.contains(task) && !failed.contains(task);
        }
    }

    private static int seen(Path dir, Step step, int task) throws IOException {
        Path file = dir.resolve(step.module() + ".task" + task);
        if (!Files.isRegularFile(file)) {
            return 0;
        }
        String text = Files.readString(file, StandardCharsets.UTF_8).strip();
        return text.matches("[0-9]{1,9}") ? Integer.parseInt(text) : 0;
    }
}
