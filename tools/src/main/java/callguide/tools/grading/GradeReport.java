package callguide.tools.grading;

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
 * The table (or the JSON) of {@code ./workshop check}: reads what each step's test JVM wrote
 * for it, {@code DIR/<step>.jsonl} (the grade recorder's format: one JSON object a test, with
 * {@code name}, {@code task}, {@code status} and {@code message}), or {@code DIR/<step>.error} when
 * the step did not build. Usage: {@code GradeReport DIR step01-media step02-peer ... [--json]}. Exits 0 only when
 * every test of every step passed. Writes the same grades as JUnit XML, one file a step, to
 * {@code DIR/junit/<step>/TEST-<step>.xml}, for CI reporters.
 *
 * <p>A step that did not build is reported with {@code "error"} (the compiler's messages) and
 * {@code "ran": false}; each test found in its sources counts as failed with that message, so a
 * broken step never drops out of the score.
 */
public final class GradeReport {
    private static final ObjectMapper JSON = new ObjectMapper();

    private GradeReport() {}

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
        writeJunit(dir.resolve("junit"), report);
        System.out.println(json ? JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report) : table(report));
        JsonNode score = report.get("score");
        System.exit(
                score.get("passed").asInt() == score.get("total").asInt()
                                && score.get("total").asInt() > 0
                        ? 0
                        : 1);
    }

    /** The report of steps whose test sources are under the working directory. */
    public static ObjectNode report(Path dir, List<String> steps) throws IOException {
        return report(dir, steps, Path.of(""));
    }

    /** The design's shape: {"steps": [{"step", "passed", "failed", "total", "tests": [...]}], "score": {...}}. */
    public static ObjectNode report(Path dir, List<String> steps, Path root) throws IOException {
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
                node.put(
                        "error", Files.readString(error, StandardCharsets.UTF_8).strip());
            } else if (tests.isEmpty()) {
                node.put("error", "no test ran");
            }
            if (tests.isEmpty()) {
                // A step that did not build must not drop out of the score: each of its tests fails.
                String why = node.get("error").asText().lines().findFirst().orElse("the step did not build");
                for (String name : testNames(
                        root.resolve(step).resolve("src").resolve("test").resolve("java"))) {
                    ObjectNode test = tests.addObject();
                    test.put("name", name);
                    test.putNull("task");
                    test.put("status", "failed");
                    test.put("message", why);
                    stepFailed++;
                }
                node.put("ran", false);
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
     * The tests a step has, as {@code Class.method}, read from its test sources: each method under
     * {@code @Test}, {@code @ParameterizedTest}, {@code @RepeatedTest} or {@code @TestFactory}
     * once; at least one name, so a step without sources still counts.
     */
    static List<String> testNames(Path testSources) throws IOException {
        List<String> names = new ArrayList<>();
        if (Files.isDirectory(testSources)) {
            try (var files = Files.walk(testSources)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java"))
                        .sorted()
                        .toList()) {
                    String className = file.getFileName().toString().replace(".java", "");
                    var matcher = TEST_METHOD.matcher(Files.readString(file, StandardCharsets.UTF_8));
                    while (matcher.find()) {
                        names.add(className + "." + matcher.group(2));
                    }
                }
            }
        }
        return names.isEmpty() ? List.of("the step's tests") : names;
    }

    /**
     * A test annotation at the start of a line, then the first method declared after it (name, parameters, the body's
     * brace).
     */
    private static final java.util.regex.Pattern TEST_METHOD = java.util.regex.Pattern.compile(
            "(?m)^\\s*@(Test|ParameterizedTest|RepeatedTest|TestFactory)\\b" // the annotation
                    + "[\\s\\S]*?(\\w+)\\s*\\([^()]*\\)\\s*(?:throws\\s+[\\w.,\\s]+)?\\{"); // the method

    /**
     * The grades of each step as a JUnit XML report, {@code <step>/TEST-<step>.xml}, and beside it as Exercism's
     * test-runner {@code results.json} (version 3), replacing any earlier ones.
     */
    public static void writeJunit(Path junit, JsonNode report) throws IOException {
        for (JsonNode step : report.get("steps")) {
            String name = step.get("step").asText();
            Path dir = junit.resolve(name);
            Files.createDirectories(dir);
            JSON.writerWithDefaultPrettyPrinter()
                    .writeValue(dir.resolve(RESULTS).toFile(), results(step));
            try (var old = Files.list(dir)) {
                for (Path file : old.filter(f -> f.getFileName().toString().endsWith(".xml"))
                        .toList()) {
                    Files.delete(file);
                }
            }
            int skipped = 0;
            int failures = 0;
            StringBuilder cases = new StringBuilder();
            for (JsonNode test : step.get("tests")) {
                String status = test.path("status").asText();
                String task = test.path("task").isNumber()
                        ? ".task" + test.get("task").asInt()
                        : WHOLE_STEP.equals(test.path("task").asText()) ? "." + WHOLE_STEP : "";
                cases.append("  <testcase classname=\"")
                        .append(xml(name + task))
                        .append("\" name=\"")
                        .append(xml(test.path("name").asText()))
                        .append('"');
                String message = test.path("message").asText("");
                if ("passed".equals(status)) {
                    cases.append("/>\n");
                    continue;
                }
                if ("skipped".equals(status)) {
                    skipped++;
                    cases.append(">\n    <skipped message=\"")
                            .append(xml(message))
                            .append("\"/>\n");
                } else {
                    failures++;
                    cases.append(">\n    <failure message=\"")
                            .append(xml(message))
                            .append("\">")
                            .append(xml(
                                    step.has("error") && !step.path("ran").asBoolean(true)
                                            ? step.get("error").asText()
                                            : message))
                            .append("</failure>\n");
                }
                cases.append("  </testcase>\n");
            }
            String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                    + "<testsuite name=\"" + xml(name) + "\" tests=\""
                    + step.get("tests").size() + "\" failures=\"" + failures
                    + "\" errors=\"0\" skipped=\"" + skipped + "\">\n" + cases + "</testsuite>\n";
            Files.writeString(dir.resolve("TEST-" + name + ".xml"), xml, StandardCharsets.UTF_8);
        }
    }

    /** The task of a test that needs several of its step's tasks ({@code @Tag("task:step")}): the whole step's row. */
    public static final String WHOLE_STEP = "step";

    /** That row's name in the table. */
    static final String WHOLE_STEP_ROW = "whole step";

    /** Exercism's file of a test run's results, beside each step's JUnit XML. */
    public static final String RESULTS = "results.json";

    /**
     * A step's grades in the shape of Exercism's test runner, version 3: {@code {"version": 3, "status":
     * "pass"|"fail"|"error", "message"?, "tests": [{"name", "status", "message", "task_id"}]}}. A step that did not
     * run is an {@code error} with why; its tests are listed failed, so the count stays whole. {@code task_id} is the
     * task's number; a test of the whole step has none ({@code null}).
     */
    static ObjectNode results(JsonNode step) {
        ObjectNode results = JSON.createObjectNode();
        results.put("version", 3);
        boolean ran = step.path("ran").asBoolean(true);
        boolean allPassed = step.get("failed").asInt() == 0 && step.get("total").asInt() > 0;
        results.put("status", !ran ? "error" : allPassed ? "pass" : "fail");
        if (!ran) {
            results.put("message", step.get("error").asText());
        }
        ArrayNode tests = results.putArray("tests");
        for (JsonNode test : step.get("tests")) {
            ObjectNode out = tests.addObject();
            out.put("name", test.path("name").asText());
            String status = test.path("status").asText();
            out.put("status", "passed".equals(status) ? "pass" : !ran ? "error" : "fail");
            if ("passed".equals(status) || test.path("message").isNull()) {
                out.putNull("message");
            } else {
                out.put("message", test.path("message").asText());
            }
            if (test.path("task").isInt()) {
                out.put("task_id", test.get("task").asInt());
            } else {
                out.putNull("task_id");
            }
        }
        return results;
    }

    /** Text as XML 1.0 attribute or element content: the five entities, and no control characters it forbids. */
    static String xml(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                default -> out.append(c < 0x20 && c != '\t' && c != '\n' && c != '\r' ? '?' : c);
            }
        }
        return out.toString();
    }

    /** Where the table's last column starts. */
    private static final int INDENT = 43;

    /** One line per step and task (and the whole step's row), then the first failure of each step. */
    public static String table(JsonNode report) {
        return table(report, null);
    }

    /**
     * {@link #table(JsonNode)}; when it cut a message short, it says once under the table that the message is whole
     * in {@code whole} (where the grades were written), if not null.
     */
    public static String table(JsonNode report, String whole) {
        boolean[] cut = {false};
        java.util.function.UnaryOperator<String> shorten = text -> {
            String line = GradeReport.oneLine(text);
            cut[0] |= !line.equals(text.replaceAll("\\s+", " ").strip());
            return line;
        };
        StringBuilder out = new StringBuilder();
        out.append(String.format("%-22s %-10s %7s  %s%n", "step", "task", "passed", "first failure"));
        for (JsonNode step : report.get("steps")) {
            String name = step.get("step").asText();
            if (!step.path("ran").asBoolean(true)) {
                List<String> lines = step.get("error").asText().lines().toList();
                out.append(String.format(
                        "%-22s %-10s %7s  %s%n",
                        name, "-", "0/" + step.get("total").asInt(), shorten.apply(lines.get(0))));
                lines.stream()
                        .skip(1)
                        .limit(30)
                        .forEach(line -> out.append(" ".repeat(INDENT))
                                .append(line.stripTrailing())
                                .append(System.lineSeparator()));
                continue;
            }
            // the tasks in order, then the whole step's row, then tests without a task
            Map<String, List<JsonNode>> byTask = new TreeMap<>(java.util.Comparator.comparing(
                            (String task) -> task.equals("-") ? 2 : task.equals(WHOLE_STEP_ROW) ? 1 : 0)
                    .thenComparing(java.util.Comparator.naturalOrder()));
            for (JsonNode test : step.get("tests")) {
                String task = test.path("task").isNumber()
                        ? String.valueOf(test.get("task").asInt())
                        : WHOLE_STEP.equals(test.path("task").asText()) ? WHOLE_STEP_ROW : "-";
                byTask.computeIfAbsent(task, t -> new ArrayList<>()).add(test);
            }
            for (Map.Entry<String, List<JsonNode>> task : byTask.entrySet()) {
                long ok = task.getValue().stream()
                        .filter(t -> "passed".equals(t.path("status").asText()))
                        .count();
                out.append(String.format(
                        "%-22s %-10s %7s",
                        name, task.getKey(), ok + "/" + task.getValue().size()));
                String own = "task " + task.getKey() + " ";
                task.getValue().stream()
                        .filter(t -> !"passed".equals(t.path("status").asText()))
                        // a test of this task may fail on an earlier task's TODO: name one that fails on its own first
                        .min(java.util.Comparator.comparing(
                                (JsonNode t) -> !t.path("message").asText("").contains(own)))
                        .ifPresent(t -> out.append("  ")
                                .append(shorten.apply(t.path("name").asText()))
                                .append(System.lineSeparator())
                                .append(" ".repeat(INDENT))
                                .append(shorten.apply(t.path("message").asText(""))));
                out.append(System.lineSeparator());
                name = "";
            }
            if (step.has("error") && step.path("ran").asBoolean(true)) {
                out.append(" ".repeat(INDENT))
                        .append(shorten.apply(step.get("error").asText()))
                        .append(System.lineSeparator());
            }
        }
        if (cut[0] && whole != null) {
            out.append("(a message cut short with ... is whole in ")
                    .append(whole)
                    .append(')')
                    .append(System.lineSeparator());
        }
        JsonNode score = report.get("score");
        out.append(String.format(
                "%nscore: %d of %d tests pass",
                score.get("passed").asInt(), score.get("total").asInt()));
        return out.toString();
    }

    private static String oneLine(String text) {
        String line = text.replaceAll("\\s+", " ").strip();
        return line.length() > 160 ? line.substring(0, 157) + "..." : line;
    }
}
