package callguide.tools;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/** What a Maven log says went wrong, in a few lines. */
public final class MavenLog {
    private static final Pattern NOT_NEWS =
            Pattern.compile("To see the full|Re-run Maven|For more information|Help 1|^\\[ERROR\\] *$|-> \\[Help");

    private MavenLog() {}

    public static List<String> lines(Path log) {
        try {
            return Files.readAllLines(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            try {
                return Files.readAllLines(log, java.nio.charset.Charset.defaultCharset());
            } catch (IOException again) {
                return List.of();
            }
        }
    }

    /** The first 20 {@code [ERROR]} lines that are news. */
    public static List<String> errors(Path log) {
        return lines(log).stream()
                .filter(l -> l.startsWith("[ERROR]"))
                .filter(l -> !NOT_NEWS.matcher(l).find())
                .limit(20)
                .toList();
    }

    public static List<String> tail(Path log, int n) {
        List<String> lines = lines(log);
        return lines.subList(Math.max(0, lines.size() - n), lines.size());
    }

    public static boolean contains(Path log, String regex) {
        Pattern p = Pattern.compile(regex);
        return lines(log).stream().anyMatch(l -> p.matcher(l).find());
    }

    /** The lines matching a pattern, at most {@code n}. */
    public static List<String> matching(Path log, String regex, int n) {
        Pattern p = Pattern.compile(regex);
        return lines(log).stream().filter(l -> p.matcher(l).find()).limit(n).toList();
    }
}
