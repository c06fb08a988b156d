package callguide.bench;

import callguide.relay.RelayMain;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server under test in a process of its own (the relay's JVM, PeerJS's node), started on 127.0.0.1 and
 * ready once its output printed the line {@code ready} matches (its base URL: {@code prefix} and group 1); its memory
 * and threads read from {@code /proc/PID/status}. Its output is drained all along, so a server that logs
 * every connection (PeerJS does) never blocks on a full pipe.
 */
final class ServerProcess implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern RELAY_READY = Pattern.compile("relay listening on (http://127\\.0\\.0\\.1:\\d+)");
    private static final Pattern ECHO_READY = Pattern.compile("echo listening on (http://127\\.0\\.0\\.1:\\d+)");

    /** Resident memory (MB) and threads of the server, -1 where /proc has no figure (not Linux). */
    record Memory(double rssMb, int threads) {}

    private final Process process;
    private final URI base;

    private ServerProcess(Process process, URI base) {
        this.process = process;
        this.base = base;
    }

    /** Starts {@code command} and waits (bounded) for its {@code ready} line; why not in the exception. */
    static ServerProcess start(String name, List<String> command, Pattern ready, String prefix) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        CompletableFuture<URI> started = new CompletableFuture<>();
        List<String> head = new ArrayList<>();
        Thread drain = new Thread(
                () -> {
                    try (BufferedReader out = new BufferedReader(
                            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                        for (String line = out.readLine(); line != null; line = out.readLine()) {
                            if (!started.isDone()) {
                                head.add(line);
                                Matcher m = ready.matcher(line);
                                if (m.find()) {
                                    started.complete(URI.create(prefix + m.group(1)));
                                }
                            }
                        }
                    } catch (IOException e) {
                        // the process ended; said below
                    }
                    started.completeExceptionally(
                            new IOException(name + " ended before it was ready: " + String.join(" | ", head)));
                },
                name + "-output");
        drain.setDaemon(true);
        drain.start();
        try {
            return new ServerProcess(process, started.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS));
        } catch (Exception e) {
            process.destroyForcibly();
            Throwable why = e.getCause() != null ? e.getCause() : e;
            throw new IOException(
                    name + " did not start within " + START_TIMEOUT.toSeconds() + " s: " + why.getMessage(), why);
        }
    }

    /**
     * The relay in a JVM of its own: {@code wrapper} (e.g. taskset) before the java command, {@code jvm} options,
     * an ephemeral port, no STUN, then {@code args}; ready at its "relay listening on" line.
     */
    static ServerProcess relay(List<String> wrapper, List<String> jvm, List<String> args) throws IOException {
        List<String> command = java(wrapper, jvm, RelayMain.class);
        command.addAll(List.of("--port", "0", "--stun-port", "-1"));
        command.addAll(args);
        return start("the relay", command, RELAY_READY, "");
    }

    /** The bare Jetty echo ({@link EchoServer}) in a JVM of its own, as {@link #relay} starts the relay. */
    static ServerProcess echo(List<String> wrapper, List<String> jvm) throws IOException {
        return start("the Jetty echo", java(wrapper, jvm, EchoServer.class), ECHO_READY, "");
    }

    /** {@code wrapper}, this JVM's java command, {@code jvm} options, this JVM's class path, then {@code main}. */
    private static List<String> java(List<String> wrapper, List<String> jvm, Class<?> main) {
        List<String> command = new ArrayList<>(wrapper);
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(jvm);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        return command;
    }

    URI base() {
        return base;
    }

    long pid() {
        return process.pid();
    }

    /** The exit status of a server that ended. */
    int exitValue() {
        return process.exitValue();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** The CPU time the server's process has used so far (every thread), or -1 where the system does not say. */
    long cpuNanos() {
        return process.toHandle()
                .info()
                .totalCpuDuration()
                .map(java.time.Duration::toNanos)
                .orElse(-1L);
    }

    Memory memory() {
        return new Memory(status("VmRSS:") / 1024.0, (int) status("Threads:"));
    }

    private long status(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or the process is gone: no figure
        }
        return -1;
    }

    /** Stops the server: a polite signal, then a bounded wait, then the hard way. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
