package callguide.tools.command;

import callguide.tools.Layout;
import callguide.tools.Processes;
import callguide.tools.Step;
import callguide.tools.WorkshopException;
import callguide.tools.grading.Baseline;
import callguide.tools.grading.ClassBench;
import callguide.tools.grading.Submission;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code ./workshop bench call|relay|check|class|soak|abuse [...]}: the benchmarks. {@code check} and {@code class}
 * (the tools' own work) are timed here; every other one is a main, {@code Bench<Name>} in the benchmarks' package,
 * so a new benchmark needs no change here.
 */
@Command(name = "bench")
public final class BenchCommand extends WorkshopCommand {
    private static final List<String> KNOWN = List.of("call", "relay", "check", "class", "soak", "abuse");
    private static final String CLASS_SYNOPSIS = "bench class [--forks N] [--fresh] [--jobs N] [--out DIR] [--json]";
    /** The class of issue 16's figure: 30 forks. */
    private static final int CLASS_FORKS = 30;

    @Parameters(arity = "0..*", parameterConsumer = Rest.class)
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        if (args.isEmpty()) {
            throw usage("bench call|relay|check|class|soak|abuse [--json]");
        }
        String what = args.get(0);
        List<String> rest = args.subList(1, args.size());
        if (what.equals("check")) {
            return check(rest);
        }
        if (what.equals("class")) {
            return classroom(rest);
        }
        if (!what.matches("[a-z][a-z0-9-]*") || !isBenchmark(source(what))) {
            List<String> names = new ArrayList<>(KNOWN);
            names.addAll(found().stream().filter(n -> !KNOWN.contains(n)).toList());
            throw new WorkshopException("no benchmark '" + what + "': "
                    + String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1));
        }
        ctx().preflight();
        doing("bench " + what + ": the build from solutions/, then the benchmark");
        builds().build(Layout.SOLUTIONS_FLAVOUR);
        return builds().javaMain(Layout.BENCH_MODULE, Layout.SOLUTIONS_FLAVOUR, mainOf(what), jvm(what), rest);
    }

    /**
     * The benchmark's JVM: {@code relay}'s collector, where PeerJS server is installed ({@code .workshop/peerjs})
     * and the relay's own JVM options for the relay it starts beside PeerJS ({@code --vs peerjs}).
     */
    private List<String> jvm(String what) {
        if (!what.equals("relay")) {
            return List.of();
        }
        List<String> jvm = new ArrayList<>(Layout.BENCH_RELAY_JVM);
        jvm.add("-Dcallguide.root=" + ctx().root());
        jvm.add("-Dcallguide.bench.relay-jvm=" + String.join(" ", Layout.RELAY_JVM));
        return jvm;
    }

    private static String mainOf(String name) {
        StringBuilder camel = new StringBuilder("Bench");
        for (String part : name.split("-")) {
            camel.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return Layout.BENCH_PACKAGE + "." + camel;
    }

    private Path sources() {
        return ctx().root()
                .resolve(Layout.BENCH_MODULE)
                .resolve("src")
                .resolve("main")
                .resolve("java")
                .resolve(Layout.BENCH_PACKAGE.replace('.', '/'));
    }

    private Path source(String name) {
        String main = mainOf(name);
        return sources().resolve(main.substring(main.lastIndexOf('.') + 1) + ".java");
    }

    /** A benchmark is a main: a {@code Bench*} class without one (BenchPeer, the clients) is a part of one. */
    private static boolean isBenchmark(Path source) {
        try {
            return Files.isRegularFile(source) && Files.readString(source).contains("static void main(");
        } catch (IOException e) {
            return false;
        }
    }

    /** The benchmarks the sources hold, by name: BenchCall.java is {@code call}. */
    private List<String> found() throws IOException {
        if (!Files.isDirectory(sources())) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(sources())) {
            return files.filter(BenchCommand::isBenchmark)
                    .map(f -> f.getFileName().toString())
                    .filter(n -> n.matches("Bench[A-Z]\\w*\\.java"))
                    .sorted()
                    .map(n -> n.substring(5, n.length() - 5)
                            .replaceAll("([a-z0-9])([A-Z])", "$1-$2")
                            .toLowerCase(Locale.ROOT))
                    .toList();
        }
    }

    /** How long a check of one step, of all, and a watch re-run take, warm. */
    private int check(List<String> rest) throws Exception {
        boolean json = !rest.isEmpty() && rest.get(0).equals("--json");
        ctx().preflight();
        List<Step> steps = ctx().steps().all();
        Step step = ctx().steps().numbered(4).orElse(steps.get(steps.size() - 1));
        String n = step.no();
        doing("bench check: check " + n + " twice to warm up, then timed: check " + n + ", with --solutions, the "
                + "whole check, and a watch re-run each way (a few minutes)");
        tools("check", n); // warm: Maven's caches, compiled classes
        tools("check", n, "--solutions");
        String one = seconds("check", n);
        String oneSolutions = seconds("check", n, "--solutions");
        String all = seconds("check");
        String rerun = watchRerun(exerciseFile(step.mainSources(ctx().root())), n);
        String rerunSolutions = watchRerun(exerciseFile(step.solutionSources(ctx().root())), n, "--solutions");
        if (json) {
            ctx().out()
                    .printf(
                            "{\"check_step_s\": %s, \"check_all_s\": %s, \"watch_rerun_s\": %s, "
                                    + "\"check_step_solutions_s\": %s,"
                                    + " \"watch_rerun_solutions_s\": %s}%n",
                            one, all, rerun, oneSolutions, rerunSolutions);
        } else {
            ctx().out()
                    .println("./workshop check " + n + " (warm):                     " + one + " s   (with solutions/: "
                            + oneSolutions + " s)");
            ctx().out()
                    .println("./workshop check (all " + ctx().steps().countInWords() + " steps):              " + all
                            + " s");
            ctx().out()
                    .println("./workshop watch " + n + ", save to tests graded:      " + rerun
                            + " s   (with solutions/: " + rerunSolutions + " s)");
            ctx().out().println("targets: check " + n + " < 10 s, the watch re-run < 3 s");
        }
        ctx().out().flush();
        return 0;
    }

    /**
     * A generated class graded as {@code ./workshop class} grades one, in this JVM ({@link ClassBench}): how long it
     * takes and where the time goes, issue 16's figure.
     */
    private int classroom(List<String> rest) throws IOException {
        String forksOption = null;
        String jobsOption = null;
        String outOption = null;
        boolean fresh = false;
        boolean json = false;
        for (int i = 0; i < rest.size(); i++) {
            switch (rest.get(i)) {
                case "--fresh" -> fresh = true;
                case "--json" -> json = true;
                case "--forks", "--jobs", "--out" -> {
                    if (i + 1 == rest.size()) {
                        throw usage(CLASS_SYNOPSIS);
                    }
                    String value = rest.get(++i);
                    switch (rest.get(i - 1)) {
                        case "--forks" -> forksOption = value;
                        case "--jobs" -> jobsOption = value;
                        default -> outOption = value;
                    }
                }
                default -> throw usage(CLASS_SYNOPSIS);
            }
        }
        int forks = ClassCommand.positive("--forks", forksOption, CLASS_FORKS);
        int jobs =
                ClassCommand.positive("--jobs", jobsOption, Runtime.getRuntime().availableProcessors());
        Path out =
                outOption == null ? null : Path.of(outOption).toAbsolutePath().normalize();
        if (out != null && Files.exists(out) && (!Files.isDirectory(out) || !isEmpty(out))) {
            throw new WorkshopException(
                    "--out " + out + " is not a new or empty folder (each run makes and grades its forks anew)");
        }
        ctx().preflight();
        List<Step> steps = ctx().steps().all();
        doing("bench class: " + forks + " forks made from the workshop as committed, then graded as ./workshop"
                + " class grades them" + (fresh ? ", first with --fresh, then with the step cache" : "")
                + " (minutes)");
        if (Submission.uncontained() != null) {
            ctx().say(Submission.uncontained());
        }
        out = out != null ? out : Files.createTempDirectory("workshop-bench-class");
        boolean built = Baseline.built(ctx());
        long start = System.nanoTime();
        Baseline baseline = Baseline.at(ctx(), steps);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        ClassBench.Result result = ClassBench.run(
                ctx(),
                steps,
                new ClassBench.Options(forks, fresh, jobs, out, Duration.ofSeconds(ClassCommand.DEFAULT_TIMEOUT_S)),
                baseline,
                took,
                !built);
        ctx().out().print(json ? ClassBench.json(result) + System.lineSeparator() : ClassBench.text(result));
        ctx().out().flush();
        return 0;
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.findAny().isEmpty();
        }
    }

    private static Path exerciseFile(Path sources) throws IOException {
        try (Stream<Path> files = Files.walk(sources)) {
            return files.filter(f -> f.toString().endsWith(".java"))
                    .sorted()
                    .findFirst()
                    .orElseThrow(() -> new WorkshopException("no exercise file under " + sources));
        }
    }

    /** The tools again, in a JVM of their own, as a learner starts them. */
    private ProcessBuilder toolsProcess(String... command) {
        List<String> line = new ArrayList<>(List.of(
                Processes.java(),
                "-cp",
                System.getProperty("java.class.path"),
                "-Dcallguide.root=" + ctx().root(),
                "callguide.tools.Workshop"));
        line.addAll(List.of(command));
        return ctx().process(line);
    }

    private void tools(String... command) {
        Processes.quiet(toolsProcess(command).command());
    }

    private String seconds(String... command) {
        long start = System.nanoTime();
        Processes.waitFor(startQuiet(toolsProcess(command)));
        return String.format(Locale.ROOT, "%.1f", (System.nanoTime() - start) / 1e9);
    }

    private static Process startQuiet(ProcessBuilder builder) {
        try {
            return Processes.start(builder.redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD));
        } catch (IOException e) {
            throw new WorkshopException("cannot start " + builder.command().get(0) + ": " + e.getMessage());
        }
    }

    /**
     * From saving {@code file} to the re-run's grades, with {@code watch STEP} already warm; "null" when the watch did
     * not start.
     */
    private String watchRerun(Path file, String step, String... extra) throws Exception {
        List<String> command = new ArrayList<>(List.of("watch", step));
        command.addAll(List.of(extra));
        command.addAll(List.of("--runs", "2"));
        Process watch =
                Processes.start(toolsProcess(command.toArray(String[]::new)).redirectErrorStream(true));
        CompletableFuture<Void> watching = new CompletableFuture<>();
        StringBuilder log = new StringBuilder();
        Thread reader = new Thread(
                () -> {
                    try (BufferedReader lines = new BufferedReader(
                            new InputStreamReader(watch.getInputStream(), Charset.defaultCharset()))) {
                        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                            synchronized (log) {
                                log.append(line).append('\n');
                            }
                            if (line.startsWith("watching")) {
                                watching.complete(null);
                            }
                        }
                    } catch (IOException e) {
                        watching.completeExceptionally(e);
                    }
                    watching.completeExceptionally(new IllegalStateException("the watch ended"));
                },
                "bench-watch-output");
        reader.setDaemon(true);
        reader.start();
        try {
            watching.get(120, TimeUnit.SECONDS);
        } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
            Path saved = Files.createTempFile("workshop-watch", ".log");
            synchronized (log) {
                Files.writeString(saved, log);
            }
            ctx().say("workshop: the watch did not start (" + saved + ")");
            watch.destroy();
            return "null";
        }
        long start = System.nanoTime();
        Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis()));
        Processes.waitFor(watch);
        return String.format(Locale.ROOT, "%.1f", (System.nanoTime() - start) / 1e9);
    }
}
