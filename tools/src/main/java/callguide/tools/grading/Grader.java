package callguide.tools.grading;

import callguide.tools.Builds;
import callguide.tools.Context;
import callguide.tools.Layout;
import callguide.tools.MavenLog;
import callguide.tools.Processes;
import callguide.tools.Step;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Grades one step in isolation with Maven: its tests on its code (the learner's, or given
 * sources), every other step from solutions/. The grades land in {@code OUT/<step>.jsonl};
 * when the step did not build or its tests did not run, why in {@code OUT/<step>.error}; Maven's
 * log in {@code OUT/<step>.log}.
 */
public final class Grader {
    /** What in a Maven log says a test hung or a JVM died. */
    public static final String HUNG_OR_DIED = "There was a timeout|The forked VM terminated|crashed";

    private final Context ctx;

    public Grader(Context ctx) {
        this.ctx = ctx;
    }

    /**
     * {@code switches}: the flavour's Maven switches ({@link Layout#isolationSwitch} or {@code -Psolutions}, and any
     * teeth switches).
     */
    public void grade(Step step, List<String> switches, Path out) throws IOException {
        Files.createDirectories(out);
        Path jsonl = out.resolve(step.module() + ".jsonl");
        Path error = out.resolve(step.module() + ".error");
        Path log = out.resolve(step.module() + ".log");
        Files.deleteIfExists(jsonl);
        Files.deleteIfExists(error);
        List<String> args = new ArrayList<>(switches);
        args.addAll(List.of(
                "-pl",
                step.module(),
                "-am",
                "test",
                "-Dtest=" + step.packageName() + ".**",
                "-Dsurefire.failIfNoSpecifiedTests=false",
                "-Dmaven.test.failure.ignore=true",
                "-D" + Layout.GRADES_PROPERTY + "=" + jsonl));
        int rc = Processes.logged(ctx.process(new Builds(ctx).maven(args)), log);
        if (rc != 0 || !Files.exists(jsonl) || Files.size(jsonl) == 0) {
            StringBuilder why = new StringBuilder();
            String where = ctx.layout().relative(log);
            if (MavenLog.contains(log, "COMPILATION ERROR")) {
                why.append("the step does not compile (the log: ").append(where).append("):\n");
                MavenLog.compilerErrors(log).forEach(line -> why.append(line).append('\n'));
            } else {
                why.append("the step did not build or its tests did not run (exit ")
                        .append(rc)
                        .append("; the log: ")
                        .append(where)
                        .append(")\n");
            }
            MavenLog.matching(log, "TEST ERROR|" + HUNG_OR_DIED, 3)
                    .forEach(line -> why.append(line).append('\n'));
            Files.writeString(error, why.toString(), StandardCharsets.UTF_8);
        }
    }
}
