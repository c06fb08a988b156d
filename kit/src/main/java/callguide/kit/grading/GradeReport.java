package callguide.kit.grading;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The table (or the JSON) of {@code ./workshop check}: reads what {@link GradeRecorder} wrote
 * for each step, {@code DIR/<step>.jsonl}, or {@code DIR/<step>.error} when the step did not
 * build. Usage: {@code GradeReport DIR step01-media step02-peer ... [--json]}. Exits 0 only when
 * every test of every step passed.
 */
public final class GradeReport {
    private static final ObjectMapper JSON = new ObjectMapper();

    private GradeReport() {
    }

    public static void main(String[] args) throws IOException {
        boolean json = false;
        Path dir = null;
        List<String> steps = new ArrayList<>();
        for (String arg : args) {
            if (arg.equals("--json")) {
                json = true;
            } else if (dir == null) {
                dir = Path.of(arg);
            } else {
                steps.add(arg);
            }
        }
        if (dir == null || steps.isEmpty()) {
            System.err.println("usage: GradeReport DIR STEP... [--json]");
            System.exit(2);
        }
        ObjectNode report = report(dir, steps);
        System.out.println(json ? JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report) : table(report));
        JsonNode score = report.get("score");
        System.exit(score.get("passed").asInt() == score.get("total").asInt() && score.get("total").asInt() > 0 ? 0 : 1);
    }

    /** The design's shape: {"steps": [{"step", "passed", "failed", "total", "tests": [...]}], "score": {...}}. */
    public static ObjectNode report(Path dir, List<String> steps) throws IOException {
        ObjectNode report = JSON.createObjectNode();
        ArrayNode stepNodes = report.putArray("steps");
        int passed = 0;
        int total = 0;
        for (String step : steps) {
            ObjectNode node = stepNodes.addObject();
            node.put("step", step);
            ArrayNode tests = JSON.createArrayNode();
            Path lines = dir.resolve(step + ".jsonl");
            Path error = dir.resolve(step + ".error");
            int stepPassed = 0;
            int stepFailed = 0;
            if (Files.exists(lines)) {
                for (String line : Files.readAllLines(lines, StandardCharsets.UTF_8)) {
                    if (line.isBlank()) {
                        continue;
                    }
                    JsonNode test = JSON.readTree(line);
                    tests.add(test);
                    if ("passed".equals(test.path("status").asText())) {
                        stepPassed++;
                    } else {
                        stepFailed++;
                    }
                }
            }
            if (Files.exists(error)) {
                node.put("error", Files.readString(error, StandardCharsets.UTF_8).strip());
            } else if (tests.isEmpty()) {
                node.put("error", "no test ran");
            }
            if (tests.isEmpty()) {
                // A step that did not build must not drop out of the score: each of its tests fails.
                stepFailed = testMethods(Path.of(step, "src", "test", "java"));
            }
            node.put("passed", stepPassed);
            node.put("failed", stepFailed);
            node.put("total", stepPassed + stepFailed);
            node.set("tests", tests);
            passed += stepPassed;
            total += stepPassed + stepFailed;
        }
        ObjectNode score = report.putObject("score");
        score.put("passed", passed);
        score.put("total", total);
        return report;
    }

    /**
     * How many tests a step has, read from its test sources ({@code @Test}, {@code @ParameterizedTest},
     * {@code @RepeatedTest}, {@code @TestFactory} each count once); at least 1.
     */
    static int testMethods(Path testSources) throws IOException {
        if (!Files.isDirectory(testSources)) {
            return 1;
        }
        int count = 0;
        try (var files = Files.walk(testSources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                var matcher = TEST_ANNOTATION.matcher(Files.readString(file, StandardCharsets.UTF_8));
                while (matcher.find()) {
                    count++;
                }
            }
        }
        return Math.max(1, count);
    }

    private static final java.util.regex.Pattern TEST_ANNOTATION =
            java.util.regex.Pattern.compile("(?m)^\\s*@(Test|ParameterizedTest|RepeatedTest|TestFactory)\\b");

    /** One line per step and task, then the first failure of each step. */
    public static String table(JsonNode report) {
        StringBuilder out = new StringBuilder();
        out.append(String.format("%-22s %-6s %7s  %s%n", "step", "task", "passed", "first failure"));
        for (JsonNode step : report.get("steps")) {
            String name = step.get("step").asText();
            if (step.has("error") && step.get("tests").isEmpty()) {
                List<String> lines = step.get("error").asText().lines().toList();
                out.append(String.format("%-22s %-6s %7s  %s%n", name, "-", "0/" + step.get("total").asInt(), oneLine(lines.get(0))));
                lines.stream().skip(1).limit(30).forEach(line -> out.append(" ".repeat(39)).append(line.stripTrailing()).append(System.lineSeparator()));
                continue;
            }
            Map<String, List<JsonNode>> byTask = new TreeMap<>();
            for (JsonNode test : step.get("tests")) {
                String task = test.path("task").isNumber() ? String.valueOf(test.get("task").asInt()) : "-";
                byTask.computeIfAbsent(task, t -> new ArrayList<>()).add(test);
            }
            for (Map.Entry<String, List<JsonNode>> task : byTask.entrySet()) {
                long ok = task.getValue().stream().filter(t -> "passed".equals(t.path("status").asText())).count();
                out.append(String.format("%-22s %-6s %7s", name, task.getKey(), ok + "/" + task.getValue().size()));
                task.getValue().stream()
                        .filter(t -> !"passed".equals(t.path("status").asText()))
                        .findFirst()
                        .ifPresent(t -> out.append("  ").append(oneLine(t.path("name").asText()))
                                .append(System.lineSeparator()).append(" ".repeat(39))
                                .append(oneLine(t.path("message").asText(""))));
                out.append(System.lineSeparator());
                name = "";
            }
            if (step.has("error")) {
                out.append(" ".repeat(39)).append(oneLine(step.get("error").asText())).append(System.lineSeparator());
            }
        }
        JsonNode score = report.get("score");
        out.append(String.format("%nscore: %d of %d tests pass", score.get("passed").asInt(), score.get("total").asInt()));
        return out.toString();
    }

    private static String oneLine(String text) {
        String line = text.replaceAll("\\s+", " ").strip();
        return line.length() > 160 ? line.substring(0, 157) + "..." : line;
    }
}
