package callguide.tools.grading;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The class's scoreboards, from {@link Classroom}'s rows: {@code scoreboard.json} ({@code {"learners": [{"name",
 * "source", "commit", "status", "reason", "score", "steps"}]}}, each step as {@code check --json} gives it),
 * {@code scoreboard.csv} (a line a learner, a column a step's task) and {@code scoreboard.html} (learners x steps x
 * tasks, large enough for a projector). Everything a fork brought (its name, source, commit, reason, test
 * messages) is written as text: escaped in HTML, quoted and never a formula in CSV.
 */
public final class Scoreboard {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String WHOLE = "whole step";

    private Scoreboard() {}

    /** Writes the three files into {@code dir}; their paths. */
    public static List<Path> write(Path dir, List<ObjectNode> rows, List<String> steps) throws IOException {
        Files.createDirectories(dir);
        ObjectNode board = JSON.createObjectNode();
        var learners = board.putArray("learners");
        for (ObjectNode row : rows) {
            ObjectNode copy = row.deepCopy();
            copy.remove("unchanged");
            learners.add(copy);
        }
        Path json = dir.resolve("scoreboard.json");
        JSON.writerWithDefaultPrettyPrinter().writeValue(json.toFile(), board);
        Map<String, Set<String>> columns = columns(rows, steps);
        Path csv = dir.resolve("scoreboard.csv");
        Files.writeString(csv, csv(rows, columns), StandardCharsets.UTF_8);
        Path html = dir.resolve("scoreboard.html");
        Files.writeString(html, html(rows, columns), StandardCharsets.UTF_8);
        return List.of(html, csv, json);
    }

    /** Each step's tasks as graded in any row: the numbers in order, then the whole step's row. */
    static Map<String, Set<String>> columns(List<ObjectNode> rows, List<String> steps) {
        Map<String, Set<String>> columns = new LinkedHashMap<>();
        for (String step : steps) {
            Set<String> tasks = new TreeSet<>(java.util.Comparator.comparing((String t) -> t.equals(WHOLE) ? 1 : 0)
                    .thenComparing(t -> t.length())
                    .thenComparing(java.util.Comparator.naturalOrder()));
            for (ObjectNode row : rows) {
                for (JsonNode node : row.path("steps")) {
                    if (node.path("step").asText().equals(step)) {
                        for (JsonNode test : node.path("tests")) {
                            String task = task(test);
                            if (task != null) {
                                tasks.add(task);
                            }
                        }
                    }
                }
            }
            columns.put(step, tasks);
        }
        return columns;
    }

    private static String task(JsonNode test) {
        if (test.path("task").isInt()) {
            return String.valueOf(test.get("task").asInt());
        }
        return GradeReport.WHOLE_STEP.equals(test.path("task").asText()) ? WHOLE : null;
    }

    /** {passed, total} of a step's task in a row, or null when that step did not run (or is not in it). */
    private static int[] cell(ObjectNode row, String step, String task) {
        for (JsonNode node : row.path("steps")) {
            if (node.path("step").asText().equals(step)) {
                if (!node.path("ran").asBoolean(true)) {
                    return null;
                }
                int[] count = new int[2];
                for (JsonNode test : node.path("tests")) {
                    if (task.equals(task(test))) {
                        count[0] += "passed".equals(test.path("status").asText()) ? 1 : 0;
                        count[1]++;
                    }
                }
                return count;
            }
        }
        return null;
    }

    /** A step that did not run, in a word or two (the reason column says the rest). */
    private static String why(ObjectNode row, String step) {
        for (JsonNode node : row.path("steps")) {
            if (node.path("step").asText().equals(step)) {
                String error = node.path("error").asText("");
                return error.contains("does not compile")
                        ? "does not compile"
                        : error.contains("within") || error.startsWith("not graded")
                                ? "out of time"
                                : error.contains("ended their JVM") || error.contains("killed by signal")
                                        ? "its JVM ended"
                                        : "did not run";
            }
        }
        return "did not run";
    }

    private static boolean ran(ObjectNode row, String step) {
        for (JsonNode node : row.path("steps")) {
            if (node.path("step").asText().equals(step)) {
                return node.path("ran").asBoolean(true);
            }
        }
        return false;
    }

    static String csv(List<ObjectNode> rows, Map<String, Set<String>> columns) {
        StringBuilder out = new StringBuilder();
        List<String> header = new ArrayList<>(List.of("name", "source", "commit", "status", "passed", "total"));
        columns.forEach((step, tasks) -> tasks.forEach(task -> header.add(step + " " + task)));
        header.add("reason");
        line(out, header);
        for (ObjectNode row : rows) {
            List<String> cells = new ArrayList<>(List.of(
                    row.path("name").asText(),
                    row.path("source").asText(),
                    row.path("commit").asText(""),
                    row.path("status").asText(),
                    String.valueOf(row.path("score").path("passed").asInt()),
                    String.valueOf(row.path("score").path("total").asInt())));
            columns.forEach((step, tasks) -> tasks.forEach(task -> {
                int[] cell = cell(row, step, task);
                cells.add(cell == null ? "" : cell[0] + "/" + cell[1]);
            }));
            cells.add(row.path("reason").asText(""));
            line(out, cells);
        }
        return out.toString();
    }

    private static void line(StringBuilder out, List<String> cells) {
        List<String> quoted = new ArrayList<>();
        for (String cell : cells) {
            // a spreadsheet runs a cell that starts so as a formula: a fork's text is never one
            String text = cell.matches("(?s)^[=+\\-@\t\r].*") && !cell.matches("-?\\d+(/\\d+)?") ? "'" + cell : cell;
            quoted.add("\"" + text.replace("\"", "\"\"") + "\"");
        }
        out.append(String.join(",", quoted)).append("\r\n");
    }

    /**
     * The scoreboard as a page for a projector: a row a learner, a column a step's task ({@code all}: its whole-step
     * tests), a cell the tests passing of the task's tests. Why a learner's fork was not graded whole goes in a note
     * under the table, numbered from the learner's name, so that no row grows taller than a line and the table fits a
     * projector's width with every step.
     */
    static String html(List<ObjectNode> rows, Map<String, Set<String>> columns) {
        StringBuilder out = new StringBuilder();
        out.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
                        + "<meta http-equiv=\"Content-Security-Policy\""
                        + " content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
                        + "<title>callguide: the class</title>\n<style>\n"
                        + "body{font-family:system-ui,sans-serif;font-size:18px;margin:.75em;background:#fff;"
                        + "color:#111}\nh1{margin:.2em 0}p.legend{margin:.2em 0 .6em;font-size:16px}\n"
                        + "table{border-collapse:collapse}th,td{border:2px solid #888;padding:.2em .35em;"
                        + "text-align:center;white-space:nowrap}\n"
                        + "th{background:#eee}th.step{white-space:normal}td.name{text-align:left;font-weight:bold}\n"
                        + "td.all{background:#1b7f3b;color:#fff}td.some{background:#f2c14e}td.none{background:#c0392b;"
                        + "color:#fff}\n"
                        + "td.broken{background:#555;color:#fff}sup{font-weight:normal}\n"
                        + "ol.notes{font-size:16px;max-width:80em}ol.notes li{white-space:pre-wrap;"
                        + "word-break:break-word;margin:.2em 0}\n"
                        + "</style></head><body>\n<h1>The class: ")
                .append(rows.size())
                .append(rows.size() == 1 ? " learner" : " learners")
                .append("</h1>\n<p class=\"legend\">Under each step its tasks, 1, 2, ..., and all, the tests of"
                        + " the whole step; in each cell the tests that pass, of the task's tests. A number after a"
                        + " name is a note under the table.</p>\n<table>\n"
                        + "<tr><th rowspan=\"2\">learner</th><th rowspan=\"2\">score</th>");
        // A step's name may break after its number: step04-<wbr>offer-answer is two short lines over four tasks.
        columns.forEach((step, tasks) -> out.append("<th class=\"step\" colspan=\"")
                .append(Math.max(1, tasks.size()))
                .append("\">")
                .append(escape(step).replace("-", "-<wbr>"))
                .append("</th>"));
        out.append("</tr>\n<tr>");
        columns.forEach((step, tasks) -> {
            if (tasks.isEmpty()) {
                out.append("<th></th>");
            }
            tasks.forEach(task -> out.append("<th title=\"")
                    .append(escape(task.equals(WHOLE) ? WHOLE : "task " + task))
                    .append("\">")
                    .append(escape(task.equals(WHOLE) ? "all" : task))
                    .append("</th>"));
        });
        out.append("</tr>\n");
        List<String> notes = new ArrayList<>();
        for (ObjectNode row : rows) {
            String name = row.path("name").asText();
            String reason = row.path("reason").asText("");
            out.append("<tr><td class=\"name\">").append(escape(name));
            if (!reason.isBlank()) {
                notes.add(name + ": " + reason);
                out.append(" <sup>").append(notes.size()).append("</sup>");
            }
            out.append("</td>");
            JsonNode score = row.path("score");
            out.append("<td>")
                    .append(score.path("passed").asInt())
                    .append("/")
                    .append(score.path("total").asInt())
                    .append("</td>");
            boolean error = "error".equals(row.path("status").asText());
            int span = columns.values().stream()
                    .mapToInt(t -> Math.max(1, t.size()))
                    .sum();
            if (error) {
                out.append("<td class=\"broken\" colspan=\"").append(span).append("\">not graded</td>");
            } else {
                columns.forEach((step, tasks) -> {
                    if (!ran(row, step)) {
                        out.append("<td class=\"broken\" colspan=\"")
                                .append(Math.max(1, tasks.size()))
                                .append("\">")
                                .append(why(row, step))
                                .append("</td>");
                        return;
                    }
                    if (tasks.isEmpty()) {
                        out.append("<td></td>");
                    }
                    for (String task : tasks) {
                        int[] cell = cell(row, step, task);
                        String css = cell[1] == 0 ? "" : cell[0] == cell[1] ? "all" : cell[0] == 0 ? "none" : "some";
                        out.append("<td class=\"")
                                .append(css)
                                .append("\">")
                                .append(cell[1] == 0 ? "" : cell[0] + "/" + cell[1])
                                .append("</td>");
                    }
                });
            }
            out.append("</tr>\n");
        }
        out.append("</table>\n");
        if (!notes.isEmpty()) {
            out.append("<ol class=\"notes\">\n");
            notes.forEach(note -> out.append("<li>").append(escape(note)).append("</li>\n"));
            out.append("</ol>\n");
        }
        out.append("</body></html>\n");
        return out.toString();
    }

    /** Text as HTML text or attribute, nothing in it markup: as XML text ({@link GradeReport#xml}). */
    static String escape(String text) {
        return GradeReport.xml(text);
    }

    static String oneLine(String text, int max) {
        String line = text.replaceAll("\\s+", " ").strip();
        return line.length() > max ? line.substring(0, max - 3) + "..." : line;
    }
}
