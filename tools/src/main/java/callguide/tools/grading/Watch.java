package callguide.tools.grading;

import callguide.tools.Trees;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * {@code ./workshop watch STEP}: one JVM stays warm and re-runs a step's tests each time one of its
 * files is saved. What a {@code check} spends on starting Maven, resolving the build, forking a JVM
 * and loading webrtc-java's native library is paid once; a re-run compiles the step's sources with
 * the JDK's compiler in this JVM, loads them in a new class loader (so the new code is what runs),
 * and runs the step's tests with the JUnit Platform, graded as {@code check} grades them.
 *
 * <pre>Watch --step step04-offer-answer --main DIR --test DIR [--resources DIR] --classpath FILE
 *       --work DIR [--grades DIR] [--runs N] [--start now|after-change] [--outcome FILE]
 *       [--contain DIR --violations FILE]</pre>
 * {@code --classpath} names a file holding the step's test classpath without the step itself (the
 * kit, the relay, the earlier steps, the libraries); {@code --grades} is where the grades go
 * ({@code WORK/grades} by default); {@code --runs N} stops after N runs (the first one, at start,
 * counts), which is how {@code bench check} times a re-run and how {@link Grader} grades a step
 * ({@code --runs 1}); {@code --start after-change} waits for a save before the first run (a JVM
 * started again after the step's code ended the last one); {@code --outcome} names a file the last
 * run's outcome is written to as JSON once it is over, so whoever started this JVM knows that the
 * run finished (a JVM the step's code ended leaves none); {@code --contain DIR} keeps the step's own code from
 * writing outside {@code DIR}, ending the JVM or starting programs ({@link Containment}), each refusal a line of
 * {@code --violations}.
 *
 * <p>Exit status: 0 after {@code --runs}; {@value #FRESH_JVM} when a test timed out, since its
 * thread may still be running and only a new JVM is clean: {@code ./workshop watch} starts one.
 */
public final class Watch {
    /** The quiet time after a change before the re-run: an editor's save is often several writes. */
    private static final long SETTLE_MS = 150;
    /** The exit status that asks {@code ./workshop watch} for a fresh JVM. */
    static final int FRESH_JVM = 75;
    /** Every test bounded, whatever the step's own properties leave out. */
    private static final Map<String, String> DEFAULTS = Map.of(
            "junit.jupiter.execution.timeout.default", "30 s",
            "junit.jupiter.execution.timeout.thread.mode.default", "SEPARATE_THREAD");

    /** Where a run's classes go: the main code's, and its tests'. */
    private static final String MAIN = "main";

    private static final String TESTS = "test";

    private final String step;
    /** The step's main sources first, then its tests, each compiled on what came before it. */
    private final List<Path> sources;

    private final List<Path> resources;
    private final List<Path> classpath;
    private final Path work;
    private final Path grades;
    private final JavaCompiler compiler;
    private final StandardJavaFileManager files;
    private int run;
    private Outcome last;
    /** What the step's code may do, when it is a fork's: null when it is not contained. */
    private Containment containment;

    Watch(String step, List<Path> sources, List<Path> resources, List<Path> classpath, Path work) {
        this(step, sources, resources, classpath, work, work.resolve("grades"));
    }

    Watch(String step, List<Path> sources, List<Path> resources, List<Path> classpath, Path work, Path grades) {
        this.step = step;
        this.grades = grades;
        this.sources = sources;
        this.resources = resources;
        this.classpath = classpath;
        this.work = work;
        this.compiler = ToolProvider.getSystemJavaCompiler();
        if (compiler == null) {
            throw new IllegalStateException(
                    "no Java compiler in this runtime: run ./workshop watch with a JDK, not a JRE");
        }
        this.files = compiler.getStandardFileManager(null, Locale.ROOT, StandardCharsets.UTF_8);
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> flags = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                usage("unexpected argument '" + args[i] + "'");
            }
            flags.put(args[i].substring(2), args[i + 1]);
        }
        for (String required : List.of("step", "main", "test", "classpath", "work")) {
            if (!flags.containsKey(required)) {
                usage("--" + required + " is required");
            }
        }
        List<Path> resources = new ArrayList<>();
        if (flags.containsKey("resources")) {
            resources.add(Path.of(flags.get("resources")));
        }
        List<Path> classpath = Stream.of(Files.readString(Path.of(flags.get("classpath")))
                        .strip()
                        .split(File.pathSeparator))
                .filter(entry -> !entry.isBlank())
                .map(Path::of)
                .toList();
        Path work = Path.of(flags.get("work"));
        Watch watch = new Watch(
                flags.get("step"),
                List.of(Path.of(flags.get("main")), Path.of(flags.get("test"))),
                resources,
                classpath,
                work,
                Path.of(flags.getOrDefault("grades", work.resolve("grades").toString())));
        if (flags.containsKey("contain")) {
            watch.containment = Containment.install(
                    Path.of(flags.get("contain")),
                    Path.of(flags.getOrDefault(
                            "violations", work.resolve("violations").toString())));
        }
        int runs = Integer.parseInt(flags.getOrDefault("runs", "0"));
        boolean afterChange = "after-change".equals(flags.getOrDefault("start", "now"));
        boolean fresh = watch.loop(runs, afterChange);
        System.out.flush();
        if (flags.containsKey("outcome") && watch.last != null) {
            watch.last.write(Path.of(flags.get("outcome")));
        }
        // webrtc-java's native threads keep a JVM alive: leave explicitly.
        Runtime.getRuntime().halt(fresh ? FRESH_JVM : 0);
    }

    /**
     * The command that starts a watch JVM with options {@code jvm} on a step's test classpath (the
     * file {@code --classpath} names): the watch's own classes, then the step's classpath, then the
     * rest of the tools'.
     */
    public static List<String> command(Path stepClasspath, List<String> jvm, List<String> args) throws IOException {
        Set<String> entries = new LinkedHashSet<>();
        try {
            entries.add(Path.of(Watch.class
                            .getProtectionDomain()
                            .getCodeSource()
                            .getLocation()
                            .toURI())
                    .toString());
        } catch (java.net.URISyntaxException e) {
            throw new IOException("where the tools' classes are: " + e.getMessage(), e);
        }
        String separator = java.util.regex.Pattern.quote(File.pathSeparator);
        for (String entry :
                Files.readString(stepClasspath, StandardCharsets.UTF_8).strip().split(separator)) {
            if (!entry.isBlank()) {
                entries.add(entry);
            }
        }
        for (String entry : System.getProperty("java.class.path", "").split(separator)) {
            if (!entry.isBlank()) {
                entries.add(entry);
            }
        }
        List<String> command = new ArrayList<>(List.of(callguide.tools.Processes.java()));
        command.addAll(jvm);
        command.addAll(List.of("-cp", String.join(File.pathSeparator, entries), Watch.class.getName()));
        command.addAll(args);
        command.add("--classpath");
        command.add(stepClasspath.toString());
        return command;
    }

    private static void usage(String problem) {
        System.err.println("watch: " + problem);
        System.err.println(
                "usage: Watch --step STEP --main DIR --test DIR [--resources DIR] --classpath FILE --work DIR "
                        + "[--grades DIR]"
                        + " [--runs N] [--start now|after-change] [--outcome FILE] [--contain DIR --violations FILE]");
        Runtime.getRuntime().halt(2);
    }

    /**
     * Runs at once (or after the first change), then after every change; {@code runs} > 0 stops
     * after that many runs. True when it stopped because this JVM is no longer clean.
     */
    boolean loop(int runs, boolean afterChange) throws IOException, InterruptedException {
        try (WatchService watcher = watchSources()) {
            String why = afterChange ? null : "first run";
            while (true) {
                if (why == null) {
                    System.out.println(watching());
                    System.out.flush();
                    why = awaitChange(watcher);
                }
                Outcome outcome;
                try {
                    outcome = runOnce();
                } catch (IOException | RuntimeException e) {
                    // the watch's own trouble (a file it could not write, say), not the step's: say it, go on
                    System.out.println("the run could not be made: " + e);
                    if (runs > 0 && run >= runs) {
                        return false;
                    }
                    why = null;
                    continue;
                }
                last = outcome;
                System.out.println(outcome.summary(why));
                if (outcome.timedOut()) {
                    System.out.println(
                            "a test timed out; its thread may still be running, so the next run gets a fresh JVM");
                    return true;
                }
                if (runs > 0 && run >= runs) {
                    return false;
                }
                why = null;
            }
        }
    }

    private String watching() {
        return "watching "
                + String.join(" and ", sources.stream().map(Path::toString).toList())
                + " (save a file to re-run; Ctrl-C stops)";
    }

    /** A watch service on every directory under the step's source roots. */
    WatchService watchSources() throws IOException {
        WatchService watcher = FileSystems.getDefault().newWatchService();
        for (Path root : sources) {
            register(watcher, root);
        }
        return watcher;
    }

    /** One run: compile the step's sources, then its tests on the new classes, and print the grades. */
    Outcome runOnce() throws IOException {
        run++;
        long start = System.nanoTime();
        Path classes = work.resolve("run-" + run);
        Trees.delete(classes);
        Files.createDirectories(classes);
        List<String> errors = compile(classes);
        long compiled = System.nanoTime();
        if (!errors.isEmpty()) {
            System.out.println(step + " does not compile:");
            errors.forEach(error -> System.out.println("  " + error));
            Trees.delete(classes);
            return new Outcome(errors, 0, 0, false, compiled - start, 0);
        }
        Files.createDirectories(grades);
        Path jsonl = grades.resolve(step + ".jsonl");
        Files.deleteIfExists(jsonl);
        List<URL> urls = new ArrayList<>();
        urls.add(url(classes.resolve(TESTS)));
        urls.add(url(classes.resolve(MAIN)));
        for (Path resource : resources) {
            urls.add(url(resource));
        }
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        try (URLClassLoader loader =
                new URLClassLoader("watch-run-" + run, urls.toArray(URL[]::new), Watch.class.getClassLoader())) {
            Thread.currentThread().setContextClassLoader(loader);
            if (containment != null) {
                containment.learner(classNames(classes.resolve(MAIN)), loader);
            }
            System.setProperty(callguide.tools.Layout.GRADES_PROPERTY, jsonl.toString());
            LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                    .selectors(testClasses(classes.resolve(TESTS)).stream()
                            .map(name -> DiscoverySelectors.selectClass(loader, name))
                            .toList())
                    .configurationParameters(configuration())
                    .build();
            Launcher launcher = LauncherFactory.create();
            launcher.execute(request);
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
            System.clearProperty(callguide.tools.Layout.GRADES_PROPERTY);
            Trees.delete(classes);
        }
        long tested = System.nanoTime();
        JsonNode report = GradeReport.report(grades, List.of(step));
        System.out.println(GradeReport.table(report, jsonl.toString()));
        JsonNode score = report.get("score");
        boolean timedOut = false;
        for (JsonNode test : report.get("steps").get(0).get("tests")) {
            timedOut |= test.path("message").asText("").contains("timed out after");
        }
        return new Outcome(
                List.of(),
                score.get("passed").asInt(),
                score.get("total").asInt(),
                timedOut,
                compiled - start,
                tested - compiled);
    }

    /** The binary names of the classes compiled into a folder. */
    private static Set<String> classNames(Path classes) throws IOException {
        try (Stream<Path> walk = Files.walk(classes)) {
            return walk.map(p -> classes.relativize(p).toString().replace(File.separatorChar, '/'))
                    .filter(name -> name.endsWith(".class"))
                    .map(name ->
                            name.substring(0, name.length() - ".class".length()).replace('/', '.'))
                    .collect(java.util.stream.Collectors.toSet());
        }
    }

    /**
     * The classes compiled from the step's tests in its package, as Surefire selected them with
     * {@code -Dtest=callguide.stepNN.**}: every class file, {@code @Nested} ones too, in the order
     * the file system lists them (JUnit puts a nested class under its own), so the tests run, and
     * are listed, in the order {@code check} has always had.
     */
    private List<String> testClasses(Path testClasses) throws IOException {
        Path dir = testClasses.resolve(packageOf(step).replace('.', '/'));
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.map(p -> testClasses.relativize(p).toString().replace(File.separatorChar, '/'))
                    .filter(name -> name.endsWith(".class"))
                    .map(name ->
                            name.substring(0, name.length() - ".class".length()).replace('/', '.'))
                    .toList();
        }
    }

    /**
     * The step's own {@code junit-platform.properties}, given to the launcher outright (a copy
     * elsewhere on the class path must not win), over a default that bounds every test as
     * {@code check} does: nothing a learner writes may hang the watch.
     */
    Map<String, String> configuration() throws IOException {
        Map<String, String> parameters = new LinkedHashMap<>(DEFAULTS);
        for (Path resource : resources) {
            Path file = resource.resolve("junit-platform.properties");
            if (Files.isRegularFile(file)) {
                java.util.Properties properties = new java.util.Properties();
                try (var in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    properties.load(in);
                }
                properties
                        .stringPropertyNames()
                        .forEach(name -> parameters.put(
                                name, properties.getProperty(name).strip()));
            }
        }
        return parameters;
    }

    /**
     * Compiles the step's main sources into {@code classes}, then its tests on them, as Maven does:
     * when the main code does not compile, its tests are not compiled (their errors would only echo
     * it). The errors, if any, as {@link #message} makes them.
     */
    private List<String> compile(Path classes) throws IOException {
        List<Path> onPath = new ArrayList<>(classpath);
        for (int i = 0; i < sources.size(); i++) {
            Path into = classes.resolve(i == 0 ? MAIN : TESTS);
            Files.createDirectories(into);
            List<String> errors = compile(sources.get(i), into, onPath);
            if (!errors.isEmpty()) {
                return errors;
            }
            if (i == 0) {
                onPath.add(0, into);
            }
        }
        return List.of();
    }

    private List<String> compile(Path root, Path classes, List<Path> onPath) throws IOException {
        List<File> javaFiles = new ArrayList<>();
        if (Files.isDirectory(root)) {
            try (Stream<Path> walk = Files.walk(root)) {
                walk.filter(p -> p.toString().endsWith(".java"))
                        .sorted()
                        .map(Path::toFile)
                        .forEach(javaFiles::add);
            }
        }
        if (javaFiles.isEmpty()) {
            return List.of();
        }
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        List<String> options = List.of(
                "--release",
                "17",
                "-g",
                "-proc:none",
                "-encoding",
                "UTF-8",
                "-d",
                classes.toString(),
                "-cp",
                String.join(
                        File.pathSeparator, onPath.stream().map(Path::toString).toList()));
        boolean ok = compiler.getTask(
                        null, files, diagnostics, options, null, files.getJavaFileObjectsFromFiles(javaFiles))
                .call();
        List<String> errors = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() == Diagnostic.Kind.ERROR) {
                errors.add(message(d));
            }
        }
        if (!ok && errors.isEmpty()) {
            errors.add("the compiler failed without saying why");
        }
        return errors;
    }

    /** javac's detail lines that Maven's log keeps under an error, and so does {@code check}. */
    private static final java.util.regex.Pattern DETAIL =
            java.util.regex.Pattern.compile("^\\s+(symbol|location|required|found|reason)(.*)");

    /**
     * An error as check has always shown it (from Maven's log, before the compiler ran in process):
     * {@code File.java:LINE:COL: message}, then each detail line ({@code symbol:}, {@code location:},
     * {@code required:}, {@code found:}, {@code reason:}) on a line of its own, indented by six.
     */
    static String message(Diagnostic<? extends JavaFileObject> d) {
        String where = d.getSource() == null
                ? ""
                : Path.of(d.getSource().toUri()).getFileName() + ":" + d.getLineNumber() + ":" + d.getColumnNumber()
                        + ": ";
        List<String> lines = d.getMessage(Locale.ROOT).lines().toList();
        StringBuilder out = new StringBuilder(where).append(lines.isEmpty() ? "" : lines.get(0));
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
            java.util.regex.Matcher detail = DETAIL.matcher(line);
            if (detail.matches()) {
                out.append("\n      ").append(detail.group(1)).append(detail.group(2));
            }
        }
        return out.toString();
    }

    /** Blocks until a .java file under the watched roots changes and things have been quiet for a moment. */
    String awaitChange(WatchService watcher) throws InterruptedException, IOException {
        Set<String> changed = new LinkedHashSet<>();
        WatchKey key = watcher.take();
        while (key != null) {
            Path dir = (Path) key.watchable();
            for (WatchEvent<?> event : key.pollEvents()) {
                if (event.context() instanceof Path name) {
                    Path path = dir.resolve(name);
                    if (event.kind() == StandardWatchEventKinds.ENTRY_CREATE && Files.isDirectory(path)) {
                        register(watcher, path);
                    }
                    if (name.toString().endsWith(".java")) {
                        changed.add(name.toString());
                    }
                }
            }
            key.reset();
            key = watcher.poll(changed.isEmpty() ? Long.MAX_VALUE : SETTLE_MS, TimeUnit.MILLISECONDS);
        }
        return "changed: " + String.join(", ", changed);
    }

    private static final WatchEvent.Kind<?>[] KINDS = {
        StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE
    };
    /**
     * Where the JDK has no native watch service (macOS: it polls, every 10 s by default), poll every
     * 2 s; Linux's and Windows' native services ignore it.
     */
    @SuppressWarnings("deprecation")
    private static final WatchEvent.Modifier[] SENSITIVITY = {com.sun.nio.file.SensitivityWatchEventModifier.HIGH};

    private static void register(WatchService watcher, Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                dir.register(watcher, KINDS, SENSITIVITY);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** {@code step04-offer-answer} -> {@code callguide.step04}. */
    static String packageOf(String step) {
        if (!step.matches("step\\d\\d(-.*)?")) {
            throw new IllegalArgumentException("not a step: " + step);
        }
        return "callguide." + step.substring(0, 6);
    }

    private static URL url(Path path) {
        try {
            return path.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What one run found, and how long its two halves took. */
    record Outcome(List<String> errors, int passed, int total, boolean timedOut, long compileNanos, long testNanos) {
        private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
                new com.fasterxml.jackson.databind.ObjectMapper();

        boolean compiled() {
            return errors.isEmpty();
        }

        /** As JSON, whole or not at all: written beside, then moved into place. */
        void write(Path file) throws IOException {
            Path partial = file.resolveSibling(file.getFileName() + ".partial");
            Files.createDirectories(file.toAbsolutePath().getParent());
            JSON.writeValue(partial.toFile(), this);
            Files.move(
                    partial,
                    file,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }

        static Outcome read(Path file) throws IOException {
            return JSON.readValue(file.toFile(), Outcome.class);
        }

        String summary(String why) {
            return java.time.LocalTime.now().withNano(0) + " " + result(why);
        }

        private String result(String why) {
            String times =
                    String.format(Locale.ROOT, "compile %.1f s, tests %.1f s", compileNanos / 1e9, testNanos / 1e9);
            if (!compiled()) {
                return "(" + why + ") does not compile (" + times + "): fix it and save";
            }
            return String.format(
                    Locale.ROOT,
                    "(%s) %d of %d tests pass (%s, %.1f s in all)",
                    why,
                    passed,
                    total,
                    times,
                    (compileNanos + testNanos) / 1e9);
        }
    }
}
