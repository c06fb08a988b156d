package callguide.tools;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The child processes the tools start (Maven, the Java mains), on any OS: Maven as {@code mvn} or
 * {@code mvn.cmd}, Java as this JVM's own launcher. Children still running when the tools stop
 * (Ctrl-C) are stopped with them, their own children first.
 */
public final class Processes {
    /** libwebrtc's native code prints these lines to stdout as a JVM exits: noise, not news. */
    static final Pattern NATIVE_NOISE =
            Pattern.compile("(VM attach current thread failed|Failed to attach thread [0-9]+)");

    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(Processes::stopAll, "workshop-stop-children"));
    }

    private Processes() {}

    /** This JVM's own {@code java}, so children run on the Java the learner started the tools with. */
    public static String java() {
        Optional<String> self = ProcessHandle.current().info().command();
        if (self.isPresent()) {
            return self.get();
        }
        String exe = File.separatorChar == '\\' ? "java.exe" : "java";
        return Path.of(System.getProperty("java.home"), "bin", exe).toString();
    }

    /** {@code mvn -B -ntp}, with {@code -o} when {@code CALLGUIDE_MAVEN_OFFLINE} is set. */
    public static List<String> maven(Map<String, String> env) {
        List<String> mvn = new ArrayList<>(List.of(File.separatorChar == '\\' ? "mvn.cmd" : "mvn", "-B", "-ntp"));
        String offline = env.get("CALLGUIDE_MAVEN_OFFLINE");
        if (offline != null && !offline.isEmpty()) {
            mvn.add("-o");
        }
        return mvn;
    }

    /** A program on PATH (with the Windows extensions when it has none). */
    public static Optional<Path> onPath(String program, Map<String, String> env, Predicate<Path> usable) {
        String path = env.getOrDefault("PATH", env.getOrDefault("Path", ""));
        List<String> names = new ArrayList<>(List.of(program));
        if (File.separatorChar == '\\' && !program.contains(".")) {
            for (String ext : env.getOrDefault("PATHEXT", ".EXE;.CMD;.BAT").split(";")) {
                names.add(program + ext.toLowerCase(java.util.Locale.ROOT));
            }
        }
        for (String dir : path.split(Pattern.quote(File.pathSeparator))) {
            if (dir.isBlank()) {
                continue;
            }
            for (String name : names) {
                Path candidate = Path.of(dir, name);
                if (usable.test(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    /** Starts a child, tracked until it ends. */
    public static Process start(ProcessBuilder builder) throws IOException {
        Process process = builder.start();
        RUNNING.add(process);
        process.onExit().thenRun(() -> RUNNING.remove(process));
        return process;
    }

    /** Waits for a child; an interrupt (the tools stopping) stops it. */
    public static int waitFor(Process process) {
        try {
            return process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop(process);
            return 130;
        }
    }

    /** A command's standard output, or empty when it cannot run or fails. */
    public static Optional<String> output(List<String> command) {
        try {
            Process p = start(new ProcessBuilder(command)
                    .redirectErrorStream(false)
                    .redirectError(ProcessBuilder.Redirect.DISCARD));
            String out = new String(p.getInputStream().readAllBytes(), Charset.defaultCharset());
            return waitFor(p) == 0 ? Optional.of(out) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** A command's standard output as bytes, or empty when it cannot run or fails. */
    public static Optional<byte[]> bytes(List<String> command) {
        try {
            Process p = start(new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD));
            byte[] out = p.getInputStream().readAllBytes();
            return waitFor(p) == 0 ? Optional.of(out) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Runs a command with its output dropped; its exit status, or 127 when it cannot start. */
    public static int quiet(List<String> command) {
        try {
            return waitFor(start(new ProcessBuilder(command)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)));
        } catch (IOException e) {
            return 127;
        }
    }

    /**
     * Runs a command with standard input and error shared, its standard output copied to
     * {@code out} line by line without libwebrtc's exit noise; its exit status.
     */
    public static int filtered(ProcessBuilder builder, PrintStream out) {
        builder.redirectInput(ProcessBuilder.Redirect.INHERIT).redirectError(ProcessBuilder.Redirect.INHERIT);
        Process process;
        try {
            process = start(builder);
        } catch (IOException e) {
            throw new WorkshopException("cannot start " + builder.command().get(0) + ": " + e.getMessage());
        }
        try {
            copyWithoutNoise(process.getInputStream(), out);
        } catch (IOException e) {
            // Stopping a child (Ctrl-C stops every child with the tools) closes its output under the copy
            // ("Stream closed") as it ends: its exit status tells what happened. A child still running
            // once a stop would have ended it (see stop) lost its output otherwise: stopped, not waited
            // for unseen.
            if (!exited(process, STOP_GRACE.plusSeconds(5))) {
                stop(process);
                if (Thread.currentThread().isInterrupted()) {
                    return 130; // the tools are stopping: nothing to tell
                }
                throw new WorkshopException(
                        "lost the output of " + builder.command().get(0) + " (" + e.getMessage() + "): stopped it");
            }
        }
        return waitFor(process);
    }

    static void copyWithoutNoise(InputStream in, PrintStream out) throws IOException {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(in, Charset.defaultCharset()))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (!NATIVE_NOISE.matcher(line).matches()) {
                    out.println(line);
                    out.flush();
                }
            }
        }
    }

    /** Runs a command sharing this process's standard streams; its exit status. */
    public static int inherit(ProcessBuilder builder) {
        try {
            return waitFor(start(builder.inheritIO()));
        } catch (IOException e) {
            throw new WorkshopException("cannot start " + builder.command().get(0) + ": " + e.getMessage());
        }
    }

    /** Runs a command with both its outputs to a log file; its exit status. */
    public static int logged(ProcessBuilder builder, Path log) {
        return logged(builder, log, java.time.Duration.ofDays(1), running -> {});
    }

    /**
     * {@link #logged(ProcessBuilder, Path)}, telling {@code stillRunning} how long the child has run, every
     * {@code every} while it runs: a silent minute of Maven looks like a hang otherwise.
     */
    public static int logged(
            ProcessBuilder builder,
            Path log,
            java.time.Duration every,
            java.util.function.Consumer<java.time.Duration> stillRunning) {
        Process process;
        try {
            process = start(builder.redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.INHERIT));
        } catch (IOException e) {
            throw new WorkshopException("cannot start " + builder.command().get(0) + ": " + e.getMessage());
        }
        long started = System.nanoTime();
        try {
            while (!process.waitFor(every.toMillis(), TimeUnit.MILLISECONDS)) {
                stillRunning.accept(java.time.Duration.ofNanos(System.nanoTime() - started));
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop(process);
            return 130;
        }
    }

    /** The most of a child's output {@link #loggedWithin} keeps: a fork printing megabytes fills no disk. */
    public static final long LOG_CAP = 2L * 1024 * 1024;

    /**
     * Runs a command with both its outputs to a log file for at most {@code limit}; its exit status,
     * or empty when it was still running then and has been stopped (its own children too). The log
     * keeps the first {@link #LOG_CAP} bytes and says so when it cut the rest (read and dropped, so
     * the child never blocks on a full pipe).
     */
    public static java.util.OptionalInt loggedWithin(ProcessBuilder builder, Path log, java.time.Duration limit) {
        Process process;
        try {
            process = start(builder.redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.PIPE)
                    .redirectInput(ProcessBuilder.Redirect.PIPE));
        } catch (IOException e) {
            throw new WorkshopException("cannot start " + builder.command().get(0) + ": " + e.getMessage());
        }
        try {
            process.getOutputStream().close(); // no input: a test that reads System.in sees its end, never waits
        } catch (IOException e) {
            // already gone: nothing to tell it
        }
        Thread copier = new Thread(() -> copyCapped(process.getInputStream(), log), "log-" + log.getFileName());
        copier.setDaemon(true);
        copier.start();
        try {
            if (process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                copier.join(TimeUnit.SECONDS.toMillis(10)); // a grandchild may hold the pipe: not for ever
                return java.util.OptionalInt.of(process.exitValue());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop(process);
            return java.util.OptionalInt.of(130);
        }
        stop(process);
        try {
            copier.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return java.util.OptionalInt.empty();
    }

    private static void copyCapped(InputStream in, Path log) {
        try (in;
                java.io.OutputStream out = java.nio.file.Files.newOutputStream(log)) {
            byte[] buffer = new byte[64 * 1024];
            long kept = 0;
            long dropped = 0;
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                int keep = (int) Math.max(0, Math.min(n, LOG_CAP - kept));
                out.write(buffer, 0, keep);
                kept += keep;
                dropped += n - keep;
            }
            if (dropped > 0) {
                out.write(("\n[the log stops at " + LOG_CAP / (1024 * 1024) + " MiB: " + dropped
                                + " more bytes of output were dropped]\n")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            // the child's pipe closed under us, or the log cannot be written: what was kept is kept
        }
    }

    /**
     * SIGTERM first (a relay stops its coturn, a peer hangs up), then, after a while, the hard way; descendants too.
     */
    static void stop(Process process) {
        List<ProcessHandle> family = new ArrayList<>(process.descendants().toList());
        process.destroy();
        family.forEach(ProcessHandle::destroy);
        if (!exited(process, STOP_GRACE)) {
            process.destroyForcibly();
        }
        family.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    /** How long {@link #stop} gives a child to end on SIGTERM before it kills it. */
    private static final java.time.Duration STOP_GRACE = java.time.Duration.ofSeconds(5);

    /** Whether the child ended within {@code limit}; false when this thread is interrupted first. */
    private static boolean exited(Process process, java.time.Duration limit) {
        try {
            return process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Stops every child still running, as Ctrl-C does (the shutdown hook). */
    static void stopAll() {
        RUNNING.forEach(Processes::stop);
    }
}
