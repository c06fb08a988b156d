package callguide.app.run;

import static org.assertj.core.api.Assertions.assertThat;

import callguide.kit.Todo;
import callguide.kit.rtc.Stats;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every sample of a step's README is that step's real output: each block introduced by
 * {@code `./workshop run NN --solutions ...` printed:} is compared with a run of the same program, from
 * solutions/, in a JVM of its own, with what differs from run to run masked (times, ports, ids, ufrags,
 * candidate foundations, frame and audio counts, whether a pair's end is srflx or prflx). The lines
 * must be the same, in any order (the two sides' lines interleave differently each run); a sample with a
 * {@code ...} line may leave lines out. A run that differs is tried once more before the test fails.
 * Each "stopped at a TODO" sample must be the two lines a run prints at a TODO of the step's exercise. Each
 * {@code --without IDEA} command of a README's "Predict, then observe" must run, from solutions/, and say first which
 * idea it switched off.
 */
@DisplayName("The step READMEs' samples")
public class ReadmeSamplesTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern SAMPLE = Pattern.compile(
            "`\\./workshop run (\\d\\d)((?: [^`]*)?)` printed(?:[^\\n]|\\n(?!\\n))*?:\\n```\\n(.*?)\\n```",
            Pattern.DOTALL);
    /** A block ending in the two lines a run prints at a TODO; the lines the run printed before them may come first. */
    private static final Pattern TODO_SAMPLE =
            Pattern.compile("```\\n(?:(?!```)[^\\n]*\\n)*?(stopped at a TODO: [^\\n]*\\nnext: [^\\n]*)\\n```");

    /** A step README's opening section, and in it each command that runs the reference with an idea switched off. */
    private static final Pattern PREDICT = Pattern.compile("\n## Predict, then observe\n(.*?)\n## ", Pattern.DOTALL);

    private static final Pattern WITHOUT = Pattern.compile(
            "^\\./workshop run (\\d\\d) --solutions((?: \\S+)* --without (\\S+)(?: \\S+)*)$", Pattern.MULTILINE);

    /** A call run's verdict on a side, and a line of a side's timeline (CallRun's formats). */
    private static final Pattern VERDICT =
            Pattern.compile("\\s*\\d+\\.\\d ms  (caller|callee): .*; signalling \\[.*], ICE \\[.*]");

    private static final Pattern TIMELINE_LINE = Pattern.compile("\\s*\\d+\\.\\d ms  (caller|callee)  +\\S.*");

    private static final Pattern TODO_CALL =
            Pattern.compile("Todo\\.task\\(\\s*\"(step\\d\\d)\",\\s*(\\d+),\\s*\"((?:[^\"\\\\]|\\\\.)*)\"\\s*\\)");
    /** Two runs at a time: the machine's cores are shared with the rest of the suite. */
    private static final ExecutorService RUNS = Executors.newFixedThreadPool(2);

    private static final Map<String, CompletableFuture<List<String>>> STARTED = new HashMap<>();

    /** One sample: the README it is in, the step's number, the run's arguments, the lines shown. */
    record Sample(Path readme, String step, List<String> args, List<String> lines) {
        @Override
        public String toString() {
            return ROOT.relativize(readme) + ": ./workshop run " + step + " " + String.join(" ", args);
        }
    }

    static List<Path> readmes() throws IOException {
        try (Stream<Path> dirs = Files.list(ROOT)) {
            return dirs.filter(d -> d.getFileName().toString().matches("step\\d\\d-.+"))
                    .map(d -> d.resolve("README.md"))
                    .filter(Files::isRegularFile)
                    .sorted()
                    .toList();
        }
    }

    static List<Sample> samples() throws IOException {
        List<Sample> samples = new ArrayList<>();
        for (Path readme : readmes()) {
            Matcher m = SAMPLE.matcher(Files.readString(readme, StandardCharsets.UTF_8));
            while (m.find()) {
                List<String> args =
                        new ArrayList<>(Arrays.asList(m.group(2).strip().split(" +")));
                args.removeIf(String::isEmpty);
                if (args.remove("--solutions")) {
                    samples.add(new Sample(
                            readme, m.group(1), args, m.group(3).lines().toList()));
                }
            }
        }
        // Start every run now, two at a time, so the tests below mostly wait for what is already done.
        for (Sample sample : samples) {
            started(sample);
        }
        return samples;
    }

    private static synchronized CompletableFuture<List<String>> started(Sample sample) {
        return STARTED.computeIfAbsent(
                sample.toString(), key -> CompletableFuture.supplyAsync(() -> run(sample), RUNS));
    }

    /** Each {@code --without} command of a step README's "Predict, then observe", as a run with no lines shown. */
    static List<Sample> predictions() throws IOException {
        List<Sample> predictions = new ArrayList<>();
        for (Path readme : readmes()) {
            Matcher section = PREDICT.matcher(Files.readString(readme, StandardCharsets.UTF_8));
            if (!section.find()) {
                continue;
            }
            Matcher m = WITHOUT.matcher(section.group(1));
            while (m.find()) {
                List<String> args =
                        new ArrayList<>(Arrays.asList(m.group(2).strip().split(" +")));
                predictions.add(new Sample(readme, m.group(1), args, List.of()));
            }
        }
        predictions.forEach(ReadmeSamplesTest::started);
        return predictions;
    }

    @AfterAll
    static void stop() {
        RUNS.shutdownNow();
    }

    @Test
    @DisplayName("include a run of every step's program from solutions/")
    void everyStep() throws IOException {
        assertThat(samples().stream().map(Sample::readme).distinct())
                .as("the READMEs with a `./workshop run NN --solutions` sample")
                .containsExactlyElementsOf(readmes());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    @Timeout(240)
    @DisplayName("are what the run prints, with what differs from run to run masked")
    void sampleIsReal(Sample sample) throws Exception {
        List<String> shown = masked(sample.lines());
        boolean shortened = shown.removeIf("..."::equals);
        List<String> printed = masked(started(sample).get(200, TimeUnit.SECONDS));
        String differences = differences(shown, printed, shortened);
        if (!differences.isEmpty()) {
            printed = masked(run(sample)); // once more: a call's lines can differ from one run to the next
            differences = differences(shown, printed, shortened);
        }
        assertThat(differences)
                .as("%s against two runs of it; the last run printed (masked):%n%s", sample, String.join("\n", printed))
                .isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("predictions")
    @Timeout(240)
    @DisplayName("each predict-then-observe command runs the reference with the idea switched off, and says so first")
    void predictionRuns(Sample sample) throws Exception {
        String idea = sample.args().get(sample.args().indexOf("--without") + 1);
        List<String> printed = started(sample).get(200, TimeUnit.SECONDS);
        assertThat(printed)
                .as("what %s printed", sample)
                .isNotEmpty()
                .noneMatch(line -> line.startsWith("exit status "));
        assertThat(printed.get(0))
                .as("%s's first line: which idea it switched off, and what that means", sample)
                .matches("\\s*\\d+\\.\\d ms  without " + Pattern.quote(idea) + ": .+");
        // A call that failed: its verdict (each side's report and states) is the last that is said of its sides.
        List<String> afterVerdict = printed.stream()
                .dropWhile(line -> !VERDICT.matcher(line).matches())
                .toList();
        assertThat(afterVerdict)
                .as("what %s printed from its verdict on:%n%s", sample, String.join("\n", printed))
                .noneMatch(line -> TIMELINE_LINE.matcher(line).matches());
    }

    @Test
    @DisplayName("include a predict-then-observe command in the README of every step that has the section")
    void everyPrediction() throws IOException {
        List<Path> withSection = new ArrayList<>();
        for (Path readme : readmes()) {
            if (PREDICT.matcher(Files.readString(readme, StandardCharsets.UTF_8))
                    .find()) {
                withSection.add(readme);
            }
        }
        assertThat(withSection)
                .as("the step READMEs with a Predict, then observe section")
                .isNotEmpty();
        assertThat(predictions().stream().map(Sample::readme).distinct())
                .as("the READMEs with a `./workshop run NN --solutions ... --without IDEA` in that section")
                .containsExactlyElementsOf(withSection);
    }

    @Test
    @DisplayName("show, where a run stops at a TODO, the lines a run prints at a TODO of the step's exercise")
    void todoSamples() throws IOException {
        for (Path readme : readmes()) {
            Path sources = readme.getParent().resolve("src/main/java");
            List<String> real = new ArrayList<>();
            try (Stream<Path> files = Files.walk(sources)) {
                for (Path file :
                        files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    Matcher m = TODO_CALL.matcher(Files.readString(file, StandardCharsets.UTF_8));
                    while (m.find()) {
                        real.add(String.join(
                                "\n",
                                StepRun.todoLines(Todo.task(
                                        m.group(1),
                                        Integer.parseInt(m.group(2)),
                                        m.group(3).replace("\\\"", "\"")))));
                    }
                }
            }
            assertThat(real).as("the TODOs in %s", sources).isNotEmpty();
            Matcher m = TODO_SAMPLE.matcher(Files.readString(readme, StandardCharsets.UTF_8));
            int found = 0;
            while (m.find()) {
                found++;
                assertThat(m.group(1))
                        .as("a stopped-at-a-TODO sample of %s, against the step's own TODOs", readme)
                        .isIn(real);
            }
            assertThat(found).as("stopped-at-a-TODO samples in %s", readme).isPositive();
        }
    }

    /** What is in one list and not the other, as lines; empty when they agree. */
    private static String differences(List<String> shown, List<String> printed, boolean shortened) {
        List<String> missing = new ArrayList<>(printed);
        StringBuilder out = new StringBuilder();
        for (String line : shown) {
            if (!missing.remove(line)) {
                out.append("shown but not printed: ").append(line).append('\n');
            }
        }
        if (!shortened) {
            missing.forEach(
                    line -> out.append("printed but not shown: ").append(line).append('\n'));
        }
        return out.toString();
    }

    private static final String[][] MASKS = {
        {"^\\s*\\d+\\.\\d ms  ", "T  "},
        {"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "UUID"},
        {"127\\.0\\.0\\.1:\\d+", "127.0.0.1:P"},
        {"127\\.0\\.0\\.1 \\d+ typ", "127.0.0.1 P typ"},
        {"candidate:\\d+", "candidate:F"},
        {"ufrag \\S+", "ufrag U"},
        {"m=(audio|video) \\d+", "m=$1 P"},
        {"\\brun(03)?-[0-9a-f]+", "ROOM"},
        {"\\d+ video frames, \\d+ audio callbacks", "N video frames, N audio callbacks"},
        {"camera frames in \\d+\\.\\d s: \\d+, \\d+\\.\\d frames a second", "camera frames in S s: N, R frames a second"
        },
        {"\\b(srflx|prflx) 127\\.0\\.0\\.1", "srflx|prflx 127.0.0.1"},
    };

    /** The lines with what differs from run to run masked; the note after a prflx pair left out (it is optional). */
    public static List<String> masked(List<String> lines) {
        List<String> out = new ArrayList<>();
        for (String line : lines) {
            String l = line.stripTrailing();
            for (String[] mask : MASKS) {
                l = l.replaceAll(mask[0], mask[1]);
            }
            // ./workshop run drops libwebrtc's exit noise (tools' Processes.NATIVE_NOISE): so does this.
            boolean noise = l.matches("VM attach current thread failed|Failed to attach thread [0-9]+");
            if (!l.isBlank() && !noise && !l.equals("T  (" + Stats.PRFLX + ")")) {
                out.add(l.strip().equals("...") ? "..." : l);
            }
        }
        return out;
    }

    /** The step's program with these arguments, from solutions/, in a JVM of its own: what it printed. */
    private static List<String> run(Sample sample) {
        Path module = sample.readme().getParent();
        StringBuilder main = new StringBuilder(StepRun.class.getPackageName()).append('.');
        for (String part : module.getFileName().toString().split("-")) {
            main.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                main.toString()));
        command.addAll(sample.args());
        try {
            Process process = new ProcessBuilder(command)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    return "cannot read the run's output: " + e;
                }
            });
            if (!process.waitFor(90, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return List.of(sample + " was still running after 90 s");
            }
            List<String> lines = out.get(10, TimeUnit.SECONDS).lines().toList();
            return process.exitValue() == 0
                    ? lines
                    : Stream.concat(lines.stream(), Stream.of("exit status " + process.exitValue()))
                            .toList();
        } catch (Exception e) {
            return List.of(sample + " could not be run: " + e);
        }
    }
}
