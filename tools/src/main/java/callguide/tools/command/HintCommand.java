package callguide.tools.command;

import callguide.tools.Step;
import callguide.tools.WorkshopException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code ./workshop hint STEP [TASK]}: the next {@code ### Hint} of a task in the step's HINTS.md,
 * one at a time, round and round; without TASK, of the first task whose hints have not all been
 * shown yet. What was shown is kept in {@code .workshop/hints/<step>.task<N>}.
 */
@Command(name = "hint")
public final class HintCommand extends WorkshopCommand {
    @Parameters(arity = "0..*", parameterConsumer = Rest.class)
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
        if (args.isEmpty() || args.size() > 2) {
            throw usage("hint STEP [TASK]");
        }
        Step step = ctx().steps().parse(args.get(0));
        Path file = step.hints(ctx().root());
        String shown = ctx().layout().relative(file);
        if (!Files.isRegularFile(file)) {
            throw new WorkshopException("no hints for " + step);
        }
        List<List<List<String>>> tasks = tasks(Files.readAllLines(file, StandardCharsets.UTF_8));
        if (tasks.isEmpty()) {
            throw new WorkshopException(shown + " has no task sections");
        }
        Path seen = ctx().layout().state().resolve("hints");
        Files.createDirectories(seen);
        int task = 1;
        if (args.size() == 2) {
            task = args.get(1).matches("[0-9]{1,9}") ? Integer.parseInt(args.get(1)) : -1;
            if (task < 1 || task > tasks.size()) {
                throw new WorkshopException(step + " has tasks 1 to " + tasks.size() + ", not '" + args.get(1) + "'");
            }
        } else {
            for (int t = tasks.size(); t >= 1; t--) {
                if (seen(seen, step, t) < hintCount(tasks.get(t - 1))) {
                    task = t;
                }
            }
        }
        List<List<String>> sections = tasks.get(task - 1);
        int count = hintCount(sections);
        if (count == 0) {
            throw new WorkshopException("task " + task + " of " + step + " has no hints in " + shown);
        }
        int next = seen(seen, step, task) % count + 1;
        ctx().out().println(sections.get(0).get(0));
        sections.get(next).forEach(ctx().out()::println);
        ctx().out().println();
        ctx().out()
                .println("(task " + task + ", hint " + next + " of " + count + "; ./workshop hint " + step.no() + " "
                        + task + " again for the next; all of them: " + shown + ")");
        ctx().out().flush();
        Files.writeString(seen.resolve(step.module() + ".task" + task), next + "\n", StandardCharsets.UTF_8);
        return 0;
    }

    /**
     * The file's tasks ({@code ## } sections), each a list of parts: its heading line first, then
     * each hint ({@code ### } and the lines up to the next heading).
     */
    static List<List<List<String>>> tasks(List<String> lines) {
        List<List<List<String>>> tasks = new ArrayList<>();
        List<String> part = null;
        for (String line : lines) {
            if (line.startsWith("## ")) {
                List<List<String>> task = new ArrayList<>();
                task.add(List.of(line));
                tasks.add(task);
                part = null;
            } else if (line.startsWith("### ") && !tasks.isEmpty()) {
                part = new ArrayList<>();
                part.add(line);
                tasks.get(tasks.size() - 1).add(part);
            } else if (part != null) {
                part.add(line);
            }
        }
        return tasks;
    }

    private static int hintCount(List<List<String>> task) {
        return task.size() - 1;
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
