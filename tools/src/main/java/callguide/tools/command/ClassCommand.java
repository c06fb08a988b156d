package callguide.tools.command;

import callguide.tools.Step;
import callguide.tools.WorkshopException;
import callguide.tools.grading.Baseline;
import callguide.tools.grading.Classroom;
import callguide.tools.grading.Scoreboard;
import callguide.tools.grading.Submission;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./workshop class FORKS [--out DIR] [--jobs N] [--timeout-per-fork S]}: a class of forks graded on the
 * instructor's own tests ({@link Classroom}) into {@code DIR/scoreboard.html}, {@code .csv} and {@code .json}
 * ({@code DIR}: {@code class} by default), a progress line a fork as it goes; {@code --fresh} grades every fork
 * and step again.
 */
@Command(name = "class")
public final class ClassCommand extends WorkshopCommand {
    private static final String SYNOPSIS =
            "class FORKS [--out DIR] [--jobs N] [--timeout-per-fork S] [--fresh]   (FORKS:"
                    + " a file, a git URL or folder a line, the learner's name after it)";
    /** A fork's time unless told: five steps, each well inside it, on a busy machine. */
    static final int DEFAULT_TIMEOUT_S = 300;

    @Option(names = "--out")
    Path outOption;

    @Option(names = "--jobs")
    String jobsOption;

    @Option(names = "--timeout-per-fork")
    String timeoutOption;

    @Option(names = "--fresh")
    boolean fresh;

    @Parameters(arity = "0..*")
    List<String> args = new java.util.ArrayList<>();

    @Override
    public Integer call() throws IOException {
        if (args.size() != 1) {
            throw usage(SYNOPSIS);
        }
        Path file = Path.of(args.get(0));
        if (!Files.isRegularFile(file)) {
            throw new WorkshopException("no file " + file + " (" + SYNOPSIS + ")");
        }
        int cores = Runtime.getRuntime().availableProcessors();
        int jobs = positive("--jobs", jobsOption, cores);
        int timeout = positive("--timeout-per-fork", timeoutOption, DEFAULT_TIMEOUT_S);
        List<Classroom.Fork> forks = Classroom.read(file);
        if (forks.isEmpty()) {
            throw new WorkshopException("no fork in " + file + " (" + SYNOPSIS + ")");
        }
        Path out = (outOption != null ? outOption : ctx().root().resolve("class"))
                .toAbsolutePath()
                .normalize();
        ctx().preflight();
        List<Step> steps = ctx().steps().all();
        if (Submission.uncontained() != null) {
            ctx().say(Submission.uncontained());
        }
        Baseline baseline = Baseline.at(ctx(), steps);
        ctx().say("grading " + forks.size() + " forks on the tests of "
                + baseline.commit().substring(0, 12) + ", " + jobs + " at a time, each within " + timeout + " s, into "
                + ctx().layout().relative(out) + " ...");
        Classroom classroom = new Classroom(ctx(), baseline, steps, out, jobs, Duration.ofSeconds(timeout));
        List<ObjectNode> rows = (fresh ? classroom.fresh() : classroom).grade(forks);
        List<Path> written =
                Scoreboard.write(out, rows, steps.stream().map(Step::module).toList());
        long errors = rows.stream()
                .filter(r -> "error".equals(r.get("status").asText()))
                .count();
        ctx().say("scoreboards: "
                + String.join(
                        " ", written.stream().map(ctx().layout()::relative).toList())
                + (errors == 1 ? " (1 fork not graded: its row says why)" : "")
                + (errors > 1 ? " (" + errors + " forks not graded: their rows say why)" : ""));
        return 0;
    }

    /** An option's whole number above 0, {@code otherwise} when it was not given; a clear error for anything else. */
    static int positive(String option, String value, int otherwise) {
        if (value == null) {
            return otherwise;
        }
        try {
            int n = Integer.parseInt(value);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new WorkshopException(option + " takes a whole number above 0, not '" + value + "'");
    }
}
