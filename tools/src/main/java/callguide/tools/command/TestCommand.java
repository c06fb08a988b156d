package callguide.tools.command;

import callguide.tools.Layout;
import callguide.tools.Platform;
import callguide.tools.Processes;
import callguide.tools.Step;
import callguide.tools.TasksLeft;
import callguide.tools.Trees;
import callguide.tools.grading.Grader;
import callguide.tools.grading.Teeth;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code ./workshop test}: the workshop's own suite. Everything from solutions/ (the browser
 * tests where Chromium is, the classroom test as root on Linux), then the teeth of every step's
 * tests on its untouched exercise.
 */
@Command(name = "test")
public final class TestCommand extends WorkshopCommand {
    @Parameters(arity = "0..*", parameterConsumer = Rest.class, hidden = true)
    List<String> ignored = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
        Platform platform = ctx().preflight();
        Path state = ctx().layout().state();
        Files.createDirectories(state);
        long started = System.nanoTime();
        boolean failed = false;
        String profiles = Layout.SOLUTIONS_PROFILE;
        List<String> chromium = new ArrayList<>();
        String browserNote = null;
        Platform.Result<Platform.Chromium> browser = platform.chromium(ctx().env(), ctx().machine());
        if (browser.present()) {
            profiles += "," + Layout.BROWSER_PROFILE;
            chromium.add("-Dcallguide.chromium=" + browser.value().binary());
            chromium.add("-Dcallguide.chromedriver=" + browser.value().driver());
        } else {
            browserNote =
                    "left out the browser tests: " + browser.whyNot() + ", then ./workshop test again; alone: mvn -P"
                            + Layout.SOLUTIONS_PROFILE + "," + Layout.BROWSER_PROFILE + " -pl " + Layout.CALL_MODULE
                            + " -am verify -Dtest=BrowserTest -Dsurefire.failIfNoSpecifiedTests=false)";
            ctx().say("workshop: " + browserNote);
        }
        // The classroom test builds network namespaces (a relay host and two learners' laptops): root on Linux only.
        String classroomNote = null;
        if (platform.os() == Platform.Os.LINUX
                && ctx().machine().isRoot()
                && ctx().machine().onPath("ip")
                && ctx().machine().run("ip", "netns", "list")) {
            profiles += "," + Layout.CLASSROOM_PROFILE;
        } else {
            classroomNote =
                    "left out the classroom test: it makes network namespaces, which needs root and iproute2 (as "
                            + "root: ./workshop test;"
                            + " alone: mvn -P" + Layout.SOLUTIONS_PROFILE + "," + Layout.CLASSROOM_PROFILE + ","
                            + Layout.BROWSER_PROFILE
                            + " -pl " + Layout.CALL_MODULE
                            + " -am verify -Dtest=ClassroomTest -Dsurefire.failIfNoSpecifiedTests=false)";
            ctx().say("workshop: " + classroomNote);
        }
        // bench relay --vs peerjs's test runs the real PeerJS server, installed with npm: where node and npm are.
        String peerJsNote = null;
        if (ctx().machine().onPath("node")
                && (ctx().machine().onPath("npm") || ctx().machine().onPath("npm.cmd"))) {
            profiles += "," + Layout.PEERJS_PROFILE;
        } else {
            peerJsNote = "left out the PeerJS comparison test (bench relay --vs peerjs): no node and npm on the PATH"
                    + " (as root on Debian: apt-get install -y nodejs npm), then ./workshop test again; alone: mvn -P"
                    + Layout.SOLUTIONS_PROFILE + "," + Layout.PEERJS_PROFILE + " -pl " + Layout.BENCH_MODULE
                    + " -am verify -Dtest=RelayVsPeerJsTest -Dsurefire.failIfNoSpecifiedTests=false";
            ctx().say("workshop: " + peerJsNote);
        }
        ctx().say("== the whole suite, every step from solutions/ (profiles " + profiles + ")");
        List<String> verify = new ArrayList<>(List.of("-P" + profiles));
        verify.addAll(chromium);
        verify.add("verify");
        if (Processes.inherit(ctx().process(builds().maven(verify))) != 0) {
            failed = true;
        }

        ctx().say("== the tests have teeth: each step's tests against its untouched exercise");
        Path teeth = state.resolve("teeth");
        Path stubs = state.resolve("stubs");
        Trees.delete(teeth);
        Trees.delete(stubs);
        Files.createDirectories(teeth);
        Files.createDirectories(stubs);
        List<String> rows = new ArrayList<>();
        boolean teethFailed = false;
        // graded as check grades: the same build, the same JVM a step, the stub as the step's code
        List<Step> steps = ctx().steps().all();
        java.util.Map<Step, Path> classpaths = builds().testClasspaths(steps);
        java.util.Map<Step, Path> stubSources = new java.util.LinkedHashMap<>();
        List<Grader.Job> jobs = new ArrayList<>();
        for (Step step : steps) {
            stubSources.put(step, stubs(step, stubs));
            jobs.add(Grader.Job.of(step, stubSources.get(step), ctx().root(), classpaths.get(step)));
        }
        new Grader(ctx()).grade(jobs, teeth);
        for (Step step : steps) {
            List<Path> noTodo = withoutMarker(stubSources.get(step), step.todoMarker());
            Teeth.Verdict verdict =
                    Teeth.verdict(step.module(), teeth, noTodo, TasksLeft.in(stubSources.get(step), step));
            teethFailed |= !verdict.ok();
            long[] solutions = surefire(step.dir(ctx().root()));
            rows.add(Teeth.withSolutions(verdict, solutions[0], solutions[1]).row());
        }
        ctx().say(String.format("%-22s %s", "step", "with the untouched exercise; with solutions/ (the build above)"));
        rows.forEach(ctx()::say);
        failed |= teethFailed;

        long[] counts = surefire(ctx().root());
        ctx().say("suite: " + (System.nanoTime() - started) / 1_000_000_000L + " s");
        if (browserNote != null) {
            ctx().say("workshop: " + browserNote);
        }
        if (classroomNote != null) {
            ctx().say("workshop: " + classroomNote);
        }
        if (peerJsNote != null) {
            ctx().say("workshop: " + peerJsNote);
        }
        ctx().out()
                .println(counts[0] + " passed, " + counts[1] + " failed"
                        + (teethFailed ? ", the teeth check failed" : ""));
        ctx().out().flush();
        return failed ? 1 : 0;
    }

    /** The step's exercise as committed, whatever the working tree holds (the working tree's without git history). */
    private Path stubs(Step step, Path stubs) throws IOException {
        Path root = ctx().root();
        String sources = root.relativize(step.mainSources(root)).toString().replace('\\', '/');
        Path target =
                stubs.resolve(step.module()).resolve("src").resolve("main").resolve("java");
        boolean committed =
                Processes.quiet(List.of("git", "-C", root.toString(), "cat-file", "-e", "HEAD:" + sources)) == 0;
        if (!committed || !Trees.archive(root, "HEAD", stubs, List.of(sources))) {
            Trees.copy(step.mainSources(root), target);
        }
        return target;
    }

    private static List<Path> withoutMarker(Path sources, String marker) throws IOException {
        List<Path> without = new ArrayList<>();
        if (!Files.isDirectory(sources)) {
            return without;
        }
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file :
                    files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                if (!Files.readString(file, StandardCharsets.UTF_8).contains(marker)) {
                    without.add(file);
                }
            }
        }
        return without;
    }

    private static final Pattern REPORT = Pattern.compile(".*[/\\\\]target[/\\\\]("
            + String.join("|", Layout.SUITE_FLAVOURS) + ")[/\\\\]surefire-reports[/\\\\]TEST-[^/\\\\]*\\.xml");

    /**
     * {passed, failed} over the suite's surefire reports. Nested test classes report into their
     * outer class's file: count the test cases themselves, one a line.
     */
    static long[] surefire(Path root) throws IOException {
        long tests = 0;
        long bad = 0;
        long skipped = 0;
        Pattern failure = Pattern.compile("<(failure|error)[ >]");
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path file : walk.filter(p -> !p.toString().contains(".git" + java.io.File.separator))
                    .filter(p -> REPORT.matcher(p.toString()).matches())
                    .toList()) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    tests += line.contains("<testcase") ? 1 : 0;
                    bad += failure.matcher(line).find() ? 1 : 0;
                    skipped += line.contains("<skipped") ? 1 : 0;
                }
            }
        }
        return new long[] {tests - bad - skipped, bad};
    }
}
