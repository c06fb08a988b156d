package callguide.tools;

import static org.assertj.core.api.Assertions.assertThat;

import callguide.tools.command.CheckCommand;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The GitHub Classroom workflow, which only GitHub can run: read as YAML, a grader a step of the build, each
 * running {@code ./workshop check NN} as the CLI parses it, and the reporter naming every grader.
 */
@DisplayName("The GitHub Classroom workflow")
class ClassroomWorkflowTest {
    @Test
    @DisplayName("has a grader a step, each running ./workshop check NN for that step, and reports them all")
    void aGraderAStep() throws IOException {
        JsonNode workflow = new ObjectMapper(new YAMLFactory())
                .readTree(
                        Project.REAL.resolve(".github/workflows/classroom.yml").toFile());
        List<Step> steps = Steps.fromPom(Project.REAL.resolve("pom.xml")).all();
        JsonNode job = workflow.get("jobs").get("run-autograding-tests");
        List<JsonNode> graders = new ArrayList<>();
        job.get("steps").forEach(step -> {
            if (step.path("uses").asText().startsWith("classroom-resources/autograding-command-grader")) {
                graders.add(step);
            }
        });
        assertThat(graders.stream().map(g -> g.get("id").asText()))
                .as("the graders' ids: the steps, in order")
                .containsExactlyElementsOf(steps.stream().map(Step::module).toList());
        Context ctx = new Context(
                Project.REAL,
                Map.of(),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new Machines.Fake());
        for (int i = 0; i < steps.size(); i++) {
            JsonNode with = graders.get(i).get("with");
            String command = with.get("command").asText();
            assertThat(command)
                    .as("the command of " + steps.get(i))
                    .isEqualTo("./workshop check " + steps.get(i).no());
            // parsed as ./workshop parses it: the check command, naming that step
            CommandLine.ParseResult parsed = Workshop.commandLine(ctx)
                    .parseArgs(command.substring("./workshop ".length()).split(" "));
            CommandLine sub = parsed.subcommand().commandSpec().commandLine();
            assertThat((Object) sub.getCommand()).as(command).isInstanceOf(CheckCommand.class);
            List<String> args = parsed.subcommand().matchedPositionals().stream()
                    .flatMap(p -> p.<List<String>>getValue().stream())
                    .toList();
            assertThat(args.stream().map(ctx.steps()::parse))
                    .as("the steps " + command + " grades")
                    .containsExactly(steps.get(i));
            assertThat(with.get("test-name").asText())
                    .as("its test name")
                    .isEqualTo(steps.get(i).module());
        }
        JsonNode reporter = job.get("steps").get(job.get("steps").size() - 1);
        assertThat(reporter.get("uses").asText())
                .as("the last step")
                .startsWith("classroom-resources/autograding-grading-reporter");
        assertThat(reporter.get("with").get("runners").asText().split(","))
                .as("the runners it reports")
                .containsExactlyElementsOf(steps.stream().map(Step::module).toList());
        for (Step step : steps) {
            assertThat(reporter.get("env")
                            .get(step.module().toUpperCase(java.util.Locale.ROOT) + "_RESULTS")
                            .asText())
                    .as("the result the reporter reads for " + step)
                    .isEqualTo("${{steps." + step.module() + ".outputs.result}}");
        }
    }
}
