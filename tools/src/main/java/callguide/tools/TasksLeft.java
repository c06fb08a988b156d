package callguide.tools;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The work left in a step's code: the tasks whose stub still throws {@code Todo.task("stepNN", N, ...)}. A stub's
 * {@code // TODO(stepNN)} comment explains the task and may stay once it is done, so it counts for nothing here; the
 * {@code throw} is what the learner replaces. A call in a comment counts for nothing either.
 */
public final class TasksLeft {
    private static final Pattern STUB = Pattern.compile("Todo\\.task\\(\\s*\"step(\\d\\d)\"\\s*,\\s*(\\d+)");

    private TasksLeft() {}

    /** The numbers of the tasks of {@code step} still stubbed in the Java files under {@code sources}. */
    public static SortedSet<Integer> in(Path sources, Step step) throws IOException {
        SortedSet<Integer> tasks = new TreeSet<>();
        if (!Files.isDirectory(sources)) {
            return tasks;
        }
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java"))
                    .filter(Files::isRegularFile)
                    .sorted()
                    .toList()) {
                String code;
                try {
                    code = withoutComments(Files.readString(file, StandardCharsets.UTF_8));
                } catch (UncheckedIOException | java.nio.charset.MalformedInputException notText) {
                    continue; // not UTF-8 text: no stub of ours
                }
                Matcher m = STUB.matcher(code);
                while (m.find()) {
                    if (m.group(1).equals(step.no())) {
                        tasks.add(Integer.parseInt(m.group(2)));
                    }
                }
            }
        }
        return tasks;
    }

    /** Java source without its comments (string literals kept as they are). */
    static String withoutComments(String source) {
        StringBuilder out = new StringBuilder(source.length());
        int i = 0;
        while (i < source.length()) {
            char c = source.charAt(i);
            if (c == '"' || c == '\'') {
                int end = i + 1;
                while (end < source.length() && source.charAt(end) != c && source.charAt(end) != '\n') {
                    end += source.charAt(end) == '\\' ? 2 : 1;
                }
                end = Math.min(end + 1, source.length());
                out.append(source, i, end);
                i = end;
            } else if (source.startsWith("//", i)) {
                int end = source.indexOf('\n', i);
                i = end < 0 ? source.length() : end;
            } else if (source.startsWith("/*", i)) {
                int end = source.indexOf("*/", i + 2);
                i = end < 0 ? source.length() : end + 2;
                out.append(' ');
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }
}
