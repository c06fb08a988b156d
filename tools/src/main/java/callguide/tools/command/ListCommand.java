package callguide.tools.command;

import callguide.tools.Step;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code ./workshop list}: each step's TODOs left and its last grade. */
@Command(name = "list")
public final class ListCommand extends WorkshopCommand {
    @Parameters(arity = "0..*", parameterConsumer = Rest.class, hidden = true)
    List<String> ignored = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
        ctx().out().printf("%-22s %-6s %s%n", "step", "TODOs", "last check");
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
            ctx().out()
                    .printf("%-22s %-6s %s%n", step, todos(step.mainSources(ctx().root()), step.todoMarker()), grade);
        }
        ctx().out().flush();
        return 0;
    }

    /** Lines carrying the marker, in every file under the sources. */
    static long todos(Path sources, String marker) throws IOException {
        if (!Files.isDirectory(sources)) {
            return 0;
        }
        long count = 0;
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
                    count += lines.filter(l -> l.contains(marker)).count();
                } catch (java.io.UncheckedIOException notText) {
                    // not UTF-8 text: no marker a learner wrote
                }
            }
        }
        return count;
    }
}
