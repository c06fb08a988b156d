package callguide.tools;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Builds the project in a flavour, and runs its mains from that build. */
public final class Builds {
    private final Context ctx;

    public Builds(Context ctx) {
        this.ctx = ctx;
    }

    /** Maven with the project's options, then {@code args}. */
    public List<String> maven(List<String> args) {
        List<String> command = new ArrayList<>(Processes.maven(ctx.env()));
        command.addAll(args);
        return command;
    }

    /** Packages every module of the project (not the tools, which are running) in a flavour, without tests. */
    public void build(String flavour) {
        List<String> args = new ArrayList<>(List.of("-q"));
        if (flavour.equals(Layout.SOLUTIONS_FLAVOUR)) {
            args.add("-P" + Layout.SOLUTIONS_PROFILE);
        }
        args.addAll(List.of("-DskipTests", "package", "-pl", "!" + Layout.TOOLS_MODULE));
        Path log = ctx.layout().state().resolve("build-" + flavour + ".log");
        String what = "building the workshop"
                + (flavour.equals(Layout.SOLUTIONS_FLAVOUR) ? " from solutions/" : " with your code");
        Path root = ctx.layout().root();
        Path stamp = ctx.layout().state().resolve("build-" + flavour + ".stamp");
        // the class's grades ("class/", ./workshop class's default) are no input either
        BuildStamp.Inputs inputs = BuildStamp.inputs(
                root, java.util.Set.of(Layout.TOOLS_MODULE, "class"), maven(args), mavenEnvironment());
        BuildStamp last = BuildStamp.read(stamp);
        if (last != null && last.fresh(inputs, root, flavour)) {
            ctx.say("workshop: " + what + ": nothing changed since the last build, so Maven need not run");
            return;
        }
        if (last != null) {
            last.touchChanged(inputs, root);
        }
        try {
            Files.deleteIfExists(stamp);
        } catch (IOException e) {
            throw new WorkshopException("cannot remove " + stamp + ": " + e.getMessage());
        }
        if (mavenLogged(args, log, what) != 0) {
            ctx.say("workshop: the build failed (" + log + "):");
            List<String> errors = MavenLog.errors(log);
            (errors.isEmpty() ? MavenLog.tail(log, 20) : errors).forEach(ctx::say);
            throw new WorkshopException(null, 2);
        }
        try {
            BuildStamp.write(stamp, inputs, root, flavour);
        } catch (IOException e) {
            ctx.say("workshop: could not note the build in " + stamp + " (" + e.getMessage() + "): the next command"
                    + " builds again");
        }
    }

    /**
     * What a first run downloads into Maven's local repository, the tools' build (the launcher's, 82 MB) and the
     * workshop's (14 MB more: Selenium for the browser tests' classes, Maven's packaging plugins); measured on
     * 2026-12-02 with an empty {@code -Dmaven.repo.local}: 96 MB, 179 jars.
     */
    public static final String FIRST_DOWNLOAD = "about 95 MB in all on a first run, the tools' own included";

    /** Maven with {@code args}, its output to {@code log}; says first what it does, and when it downloads. */
    private int mavenLogged(List<String> args, Path log, String what) {
        createDirectories(log.getParent());
        if (firstBuild()) {
            ctx.say("workshop: " + what + ": a first build, so Maven downloads what it still needs first ("
                    + FIRST_DOWNLOAD + ", into " + localRepository() + "); a minute or two (log: "
                    + ctx.layout().relative(log) + ") ...");
        } else {
            ctx.say("workshop: " + what + " (Maven; log: " + ctx.layout().relative(log) + ") ...");
        }
        String shown = ctx.layout().relative(log);
        return Processes.logged(
                ctx.process(maven(args)),
                log,
                PROGRESS_EVERY,
                running ->
                        ctx.say("workshop: still building, " + running.toSeconds() + " s so far (log: " + shown + ")"));
    }

    /**
     * What Maven reads besides the project's files and its command: the machine and JDK (webrtc-java's native jar is
     * chosen by them), Maven's options from the environment, the user's Maven settings.
     */
    private List<String> mavenEnvironment() {
        List<String> environment = new ArrayList<>();
        for (String property : List.of("os.name", "os.arch", "java.home", "java.version")) {
            environment.add(property + "=" + System.getProperty(property));
        }
        for (String variable : List.of("JAVA_HOME", "MAVEN_OPTS", "MAVEN_ARGS", "PATH")) {
            environment.add(variable + "=" + ctx.env().getOrDefault(variable, ""));
        }
        Path settings = Path.of(System.getProperty("user.home"), ".m2", "settings.xml");
        try {
            environment.add("settings=" + (Files.isRegularFile(settings) ? Files.readString(settings) : ""));
        } catch (IOException | RuntimeException e) {
            environment.add("settings unread " + System.nanoTime());
        }
        return environment;
    }

    /** How often a build still running says so (a loaded machine's Maven can be silent for a minute). */
    static final java.time.Duration PROGRESS_EVERY = java.time.Duration.ofSeconds(10);

    /** Maven's local repository: {@code -Dmaven.repo.local} in {@code MAVEN_OPTS}, else {@code ~/.m2/repository}. */
    Path localRepository() {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("-Dmaven\\.repo\\.local=(\\S+)")
                .matcher(ctx.env().getOrDefault("MAVEN_OPTS", ""));
        return m.find() ? Path.of(m.group(1)) : Path.of(System.getProperty("user.home"), ".m2", "repository");
    }

    /**
     * Whether the local repository lacks what a build of the workshop needs (webrtc-java with its native library,
     * Javalin, Selenium's manager: the largest, the last the tools' own build leaves out): then Maven downloads
     * before it builds.
     */
    boolean firstBuild() {
        Path repo = localRepository();
        return Stream.of(
                        "dev/onvoid/webrtc/webrtc-java",
                        "io/javalin/javalin",
                        "org/seleniumhq/selenium/selenium-manager")
                .anyMatch(artifact -> !Files.isDirectory(repo.resolve(artifact)));
    }

    /** The file, in a step's solutions build, that {@link #testClasspaths} writes its test classpath to. */
    public static final String TEST_CLASSPATH = "test-classpath.txt";

    /**
     * One Maven run builds what each of {@code steps} stands on, from solutions/ (the earlier steps,
     * the kit, the testkit, the relay, the call), and writes each step's test classpath without the
     * step itself: what a step's own code and tests are compiled on and run with, in process, by
     * {@code watch} and {@code check}. The file of each step, in the order given.
     */
    public java.util.Map<Step, Path> testClasspaths(List<Step> steps) {
        List<String> args = new ArrayList<>(List.of(
                "-q",
                "-P" + Layout.SOLUTIONS_PROFILE,
                "-pl",
                String.join(",", steps.stream().map(Step::module).toList()),
                "-am",
                "compile",
                "dependency:build-classpath",
                "-Dmdep.includeScope=test",
                // evaluated in each module: a file of its own in its own build folder
                "-Dmdep.outputFile=${project.build.directory}/" + TEST_CLASSPATH));
        Path log = ctx.layout().state().resolve("build-steps.log");
        if (mavenLogged(args, log, "building what the steps stand on") != 0) {
            ctx.say("workshop: the build of what the steps stand on failed (" + log + "):");
            List<String> errors = MavenLog.errors(log);
            (errors.isEmpty() ? MavenLog.tail(log, 20) : errors).forEach(ctx::say);
            throw new WorkshopException(null, 2);
        }
        java.util.Map<Step, Path> files = new java.util.LinkedHashMap<>();
        for (Step step : steps) {
            Path file =
                    ctx.layout().target(step.module(), Layout.SOLUTIONS_FLAVOUR).resolve(TEST_CLASSPATH);
            if (!Files.isRegularFile(file)) {
                throw new WorkshopException("the build wrote no test classpath for " + step + " (" + file + ")");
            }
            files.put(step, file);
        }
        return files;
    }

    /** The runtime classpath of a module's build: its jar, then its dependencies. */
    public String classpath(String module, String flavour) {
        Path dir = ctx.layout().target(module, flavour);
        Path file = dir.resolve("classpath.txt");
        Path jar = null;
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                jar = files.filter(f ->
                                f.getFileName().toString().matches(java.util.regex.Pattern.quote(module) + "-.*\\.jar"))
                        .sorted()
                        .findFirst()
                        .orElse(null);
            } catch (IOException e) {
                jar = null;
            }
        }
        if (jar == null || !Files.isRegularFile(file)) {
            throw new WorkshopException("no build of " + module + " in " + dir);
        }
        return jar + File.pathSeparator + read(file).strip();
    }

    /**
     * Runs a main of a module's build, this JVM's java, standard output without libwebrtc's exit noise; its exit
     * status.
     */
    public int javaMain(String module, String flavour, String main, List<String> jvm, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(Processes.java());
        command.addAll(jvm);
        command.addAll(List.of("-cp", classpath(module, flavour), main));
        command.addAll(args);
        return Processes.filtered(ctx.process(command), ctx.out());
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new WorkshopException("cannot read " + file + ": " + e.getMessage());
        }
    }

    static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new WorkshopException("cannot make " + dir + ": " + e.getMessage());
        }
    }
}
