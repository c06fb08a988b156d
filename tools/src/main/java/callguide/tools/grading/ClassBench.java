package callguide.tools.grading;

import callguide.tools.Context;
import callguide.tools.Platform;
import callguide.tools.Processes;
import callguide.tools.Step;
import callguide.tools.Trees;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * {@code ./workshop bench class}: issue 16's figure made a command. A generated class ({@link Cohort}) graded as
 * {@code class} grades it ({@link Classroom}), once with the step cache and, with {@code --fresh}, first with every
 * step in a JVM of its own; how long it took and where the time went, whether every row scored what its learner's
 * stage says, the scoreboards, a screenshot of the HTML one in Chromium, and a step's {@code results.json}.
 */
public final class ClassBench {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How long Chromium may take to draw the scoreboard: seconds, even on a busy machine. */
    private static final Duration SCREENSHOT_LIMIT = Duration.ofSeconds(120);

    /**
     * What to run.
     *
     * @param forks how many learners
     * @param fresh also grade with {@code --fresh}, before the run with the cache
     * @param jobs forks graded at a time
     * @param out where everything goes: the forks, FORKS, each run's {@code class} folder, the screenshot
     * @param perFork each fork's time
     */
    public record Options(int forks, boolean fresh, int jobs, Path out, Duration perFork) {}

    /**
     * One grading of the class.
     *
     * @param fresh graded with {@code --fresh}
     * @param out its {@code class} folder
     * @param took its wall time
     * @param rows its rows, in the order of FORKS
     * @param times each fork's times, by its folder's name
     * @param scoreboards the HTML, CSV and JSON scoreboards
     * @param mismatches each row that did not score what its learner's stage says, a line each
     */
    public record Run(
            boolean fresh,
            Path out,
            Duration took,
            List<ObjectNode> rows,
            Map<String, Classroom.Times> times,
            List<Path> scoreboards,
            List<String> mismatches) {}

    /**
     * What the benchmark found.
     *
     * @param learners the generated class
     * @param steps the steps graded
     * @param jobs forks graded at a time
     * @param generating how long making the forks took
     * @param baseline how long the baseline took ({@link Baseline#at})
     * @param baselineBuilt whether it was taken out of git and built now (else it was built before)
     * @param runs the gradings, the one with the cache last
     * @param screenshot the HTML scoreboard in Chromium, or null
     * @param screenshotNote why there is no screenshot, or null
     * @param results a step's {@code results.json}, from the last run
     */
    public record Result(
            List<Cohort.Learner> learners,
            List<Step> steps,
            int jobs,
            Duration generating,
            Duration baseline,
            boolean baselineBuilt,
            List<Run> runs,
            Path screenshot,
            String screenshotNote,
            Path results) {}

    private ClassBench() {}

    /**
     * Generates the class from the workshop at {@code ctx.root()} as committed at the baseline's commit, grades it
     * on {@code baseline} (which took {@code baselineTook}, built now or not) and takes the screenshot.
     */
    public static Result run(
            Context ctx,
            List<Step> steps,
            Options options,
            Baseline baseline,
            Duration baselineTook,
            boolean baselineBuilt)
            throws IOException {
        Files.createDirectories(options.out());
        long generating = System.nanoTime();
        List<Cohort.Learner> learners =
                Cohort.generate(ctx.root(), baseline.commit(), steps, options.forks(), options.out());
        Duration generated = Duration.ofNanos(System.nanoTime() - generating);
        ctx.say("bench class: " + learners.size() + " forks generated (" + stages(learners) + ") in "
                + seconds(generated) + " into " + options.out());
        List<Classroom.Fork> forks = Classroom.read(options.out().resolve(Cohort.FORKS));
        List<Run> runs = new ArrayList<>();
        for (boolean fresh : options.fresh() ? List.of(true, false) : List.of(false)) {
            Path out = options.out().resolve(fresh ? "class-fresh" : "class");
            ctx.say("bench class: grading them "
                    + (fresh ? "with --fresh (every step in a JVM of its own)" : "with" + " the step cache") + ", "
                    + options.jobs() + " at a time, into " + out + " ...");
            Classroom classroom = new Classroom(ctx, baseline, steps, out, options.jobs(), options.perFork());
            long started = System.nanoTime();
            List<ObjectNode> rows = (fresh ? classroom.fresh() : classroom).grade(forks);
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            List<Path> boards =
                    Scoreboard.write(out, rows, steps.stream().map(Step::module).toList());
            runs.add(new Run(fresh, out, took, rows, classroom.times(), boards, mismatches(learners, steps, rows)));
        }
        Run last = runs.get(runs.size() - 1);
        Path screenshot = options.out().resolve("scoreboard.png");
        String note = screenshot(ctx, last.scoreboards().get(0), screenshot, options.out());
        return new Result(
                learners,
                steps,
                options.jobs(),
                generated,
                baselineTook,
                baselineBuilt,
                runs,
                note == null ? screenshot : null,
                note,
                sampleResults(learners, steps, last.out()));
    }

    /**
     * Each row that does not score what its learner's stage says, a line each: untouched none, done all, half done
     * every test of its done steps, broken as many and its broken step's compile error as its reason.
     */
    static List<String> mismatches(List<Cohort.Learner> learners, List<Step> steps, List<ObjectNode> rows) {
        Map<String, Integer> totals = new LinkedHashMap<>();
        for (JsonNode row : rows) {
            for (JsonNode step : row.path("steps")) {
                totals.putIfAbsent(
                        step.path("step").asText(), step.path("total").asInt());
            }
        }
        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < learners.size(); i++) {
            Cohort.Learner learner = learners.get(i);
            JsonNode row = rows.get(i);
            int expected = steps.subList(0, learner.done()).stream()
                    .mapToInt(s -> totals.getOrDefault(s.module(), 0))
                    .sum();
            int passed = row.path("score").path("passed").asInt();
            String reason = row.path("reason").asText("");
            if (!"graded".equals(row.path("status").asText())) {
                wrong.add(learner.name() + ": not graded: " + Scoreboard.oneLine(reason, 200));
            } else if (passed != expected) {
                wrong.add(learner.name() + ": " + passed + " tests pass, not " + expected);
            } else if (learner.broken() != null
                    && !reason.startsWith(learner.broken().module() + ": the step does not compile")) {
                wrong.add(learner.name() + ": its reason is not "
                        + learner.broken().module() + "'s compile error: " + Scoreboard.oneLine(reason, 200));
            } else if (learner.broken() == null && !reason.isEmpty()) {
                wrong.add(learner.name() + ": a reason, where none was due: " + Scoreboard.oneLine(reason, 200));
            }
        }
        return wrong;
    }

    /** The first half-done learner's first step not done (a failing step's file), else the first learner's first. */
    private static Path sampleResults(List<Cohort.Learner> learners, List<Step> steps, Path out) {
        Cohort.Learner learner = learners.stream()
                .filter(l -> l.stage() == Cohort.Stage.HALF && l.done() < steps.size())
                .findFirst()
                .orElse(learners.get(0));
        Step step = steps.get(learner.stage() == Cohort.Stage.HALF ? learner.done() : 0);
        return out.resolve("forks")
                .resolve(learner.name())
                .resolve("grades")
                .resolve("junit")
                .resolve(step.module())
                .resolve(GradeReport.RESULTS);
    }

    /**
     * The HTML scoreboard drawn by headless Chromium into {@code png} (a profile of its own under {@code work},
     * removed after); null when done, else why not.
     */
    private static String screenshot(Context ctx, Path html, Path png, Path work) throws IOException {
        Platform.Result<Platform.Chromium> chromium = Platform.current().chromium(ctx.env(), ctx.machine());
        if (!chromium.present()) {
            return "no screenshot: " + chromium.whyNot() + ")";
        }
        Path profile = work.resolve("chromium-profile");
        Path log = work.resolve("chromium.log");
        Files.deleteIfExists(png);
        OptionalInt rc = Processes.loggedWithin(
                ctx.process(List.of(
                        chromium.value().binary().toString(),
                        "--headless",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--user-data-dir=" + profile,
                        "--screenshot=" + png,
                        "--window-size=1600,1000",
                        html.toUri().toString())),
                log,
                SCREENSHOT_LIMIT);
        Trees.delete(profile);
        if (rc.isPresent() && rc.getAsInt() == 0 && Files.isRegularFile(png) && Files.size(png) > 0) {
            return null;
        }
        return "no screenshot: Chromium "
                + (rc.isEmpty() ? "did not finish within " + SCREENSHOT_LIMIT.toSeconds() + " s" : "failed")
                + " (its log: " + log + ")";
    }

    /** The figures as one JSON object: what {@code bench class --json} prints. */
    public static ObjectNode json(Result result) {
        ObjectNode json = JSON.createObjectNode();
        json.put("forks", result.learners().size());
        ObjectNode stages = json.putObject("stages");
        for (Cohort.Stage stage : Cohort.Stage.values()) {
            stages.put(
                    stage.label(),
                    result.learners().stream().filter(l -> l.stage() == stage).count());
        }
        json.put("steps", result.steps().size());
        json.put("jobs", result.jobs());
        json.put("cores", Runtime.getRuntime().availableProcessors());
        json.put("generate_s", round(result.generating()));
        json.put("baseline_s", round(result.baseline()));
        json.put("baseline_built", result.baselineBuilt());
        ArrayNode runs = json.putArray("runs");
        for (Run run : result.runs()) {
            ObjectNode r = runs.addObject();
            Split split = Split.of(run.times().values());
            int forks = Math.max(1, run.rows().size());
            r.put("mode", run.fresh() ? "fresh" : "cache");
            r.put("total_s", round(run.took()));
            r.put("per_fork_s", round(run.took().dividedBy(forks)));
            r.put("fork_mean_s", round(split.inAll().dividedBy(forks)));
            r.put("fork_max_s", round(split.longest()));
            r.put("fetch_s", round(split.fetching()));
            r.put("compile_s", round(split.compiling()));
            r.put("test_s", round(split.testing()));
            r.put("other_s", round(split.other()));
            r.put("jvms", split.jvms());
            r.put("steps_from_cache", cached(run, result.steps().size(), split));
            r.put("scores_as_staged", run.mismatches().isEmpty());
            run.mismatches().forEach(r.putArray("mismatches")::add);
            ObjectNode boards = r.putObject("scoreboards");
            for (Path board : run.scoreboards()) {
                String name = board.getFileName().toString();
                boards.put(name.substring(name.lastIndexOf('.') + 1), board.toString());
            }
        }
        if (result.runs().size() > 1) {
            json.put("same_scores", sameScores(result.runs()));
        }
        json.put("screenshot", Objects.toString(result.screenshot(), null));
        if (result.screenshotNote() != null) {
            json.put("screenshot_note", result.screenshotNote());
        }
        json.put("results_json", result.results().toString());
        return json;
    }

    /** The figures for a reader, a line each. */
    public static String text(Result result) {
        StringBuilder text = new StringBuilder();
        int n = result.learners().size();
        text.append(String.format(
                Locale.ROOT,
                "%d generated forks (%s; %d steps), graded %d at a time on %d cores; made in %s%n",
                n,
                stages(result.learners()),
                result.steps().size(),
                result.jobs(),
                Runtime.getRuntime().availableProcessors(),
                seconds(result.generating())));
        text.append("the baseline (the workshop as committed, out of git and built with Maven): ")
                .append(seconds(result.baseline()))
                .append(result.baselineBuilt() ? "" : " (built already: run again on a new commit to time its build)")
                .append(System.lineSeparator());
        for (Run run : result.runs()) {
            Split split = Split.of(run.times().values());
            text.append(String.format(
                    Locale.ROOT,
                    "%s: %s in all, %s a fork (a fork took %s on average, at most %s)%n",
                    run.fresh() ? "with --fresh (every step in a JVM of its own)" : "with the step cache",
                    minutes(run.took()),
                    seconds(run.took().dividedBy(Math.max(1, n))),
                    seconds(split.inAll().dividedBy(Math.max(1, n))),
                    seconds(split.longest())));
            text.append(String.format(
                    Locale.ROOT,
                    "  the forks' time, summed (%d at a time): cloning %s, compiling %s, tests %s, the rest %s"
                            + " (copying sources, starting %d JVMs, reports); %d steps' grades taken from the cache%n",
                    result.jobs(),
                    seconds(split.fetching()),
                    seconds(split.compiling()),
                    seconds(split.testing()),
                    seconds(split.other()),
                    split.jvms(),
                    cached(run, result.steps().size(), split)));
            if (run.mismatches().isEmpty()) {
                text.append("  every row scored what its learner's stage says").append(System.lineSeparator());
            } else {
                text.append("  rows that did not score what their learner's stage says:")
                        .append(System.lineSeparator());
                run.mismatches().forEach(m -> text.append("    ").append(m).append(System.lineSeparator()));
            }
            text.append("  scoreboards: ")
                    .append(String.join(
                            " ", run.scoreboards().stream().map(Path::toString).toList()))
                    .append(System.lineSeparator());
        }
        if (result.runs().size() > 1) {
            text.append(
                            sameScores(result.runs())
                                    ? "the same scores with the cache as with --fresh"
                                    : "the scores with the cache differ from --fresh's")
                    .append(System.lineSeparator());
        }
        text.append(
                        result.screenshot() != null
                                ? "the HTML scoreboard in Chromium: " + result.screenshot()
                                : result.screenshotNote())
                .append(System.lineSeparator());
        text.append("a step's results.json: ").append(result.results()).append(System.lineSeparator());
        return text.toString();
    }

    /** Where a run's forks' time went, summed over the forks. */
    private record Split(
            Duration fetching, Duration compiling, Duration testing, Duration inAll, Duration longest, int jvms) {
        static Split of(Collection<Classroom.Times> times) {
            Duration fetching = Duration.ZERO;
            Duration compiling = Duration.ZERO;
            Duration testing = Duration.ZERO;
            Duration inAll = Duration.ZERO;
            Duration longest = Duration.ZERO;
            int jvms = 0;
            for (Classroom.Times t : times) {
                fetching = fetching.plus(t.fetching());
                compiling = compiling.plus(t.compiling());
                testing = testing.plus(t.testing());
                inAll = inAll.plus(t.inAll());
                longest = t.inAll().compareTo(longest) > 0 ? t.inAll() : longest;
                jvms += t.jvms();
            }
            return new Split(fetching, compiling, testing, inAll, longest, jvms);
        }

        Duration other() {
            Duration rest = inAll.minus(fetching).minus(compiling).minus(testing);
            return rest.isNegative() ? Duration.ZERO : rest;
        }
    }

    /** The steps of graded rows whose grades came from the cache: every step graded, less those graded in a JVM. */
    private static long cached(Run run, int steps, Split split) {
        long graded = run.rows().stream()
                .filter(r -> "graded".equals(r.path("status").asText()))
                .count();
        return Math.max(0, graded * steps - split.jvms());
    }

    /** Whether every run gave every row the same score. */
    private static boolean sameScores(List<Run> runs) {
        List<JsonNode> first =
                runs.get(0).rows().stream().map(r -> (JsonNode) r.get("score")).toList();
        return runs.stream()
                .allMatch(run -> run.rows().stream()
                        .map(r -> (JsonNode) r.get("score"))
                        .toList()
                        .equals(first));
    }

    private static String stages(List<Cohort.Learner> learners) {
        List<String> parts = new ArrayList<>();
        for (Cohort.Stage stage : Cohort.Stage.values()) {
            long count = learners.stream().filter(l -> l.stage() == stage).count();
            parts.add(count + " " + (stage == Cohort.Stage.HALF ? "half done" : stage.label()));
        }
        return String.join(", ", parts);
    }

    private static double round(Duration d) {
        return Math.round(d.toMillis() / 100.0) / 10.0;
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    private static String minutes(Duration d) {
        long s = Math.round(d.toMillis() / 1000.0);
        return s < 60 ? seconds(d) : s / 60 + " min " + s % 60 + " s";
    }
}
