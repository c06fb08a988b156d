package callguide.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * PeerJS server (npm package {@code peer}, {@link #VERSION}), the signalling server people pick for this job,
 * installed under {@code .workshop/peerjs/} with this machine's npm the first time it is needed (nothing of it
 * is committed: {@code .workshop/} is ignored), and started on 127.0.0.1 on a free port. Its protocol (from its
 * source): a client opens a WebSocket to {@code /peerjs?key=peerjs&id=ID&token=T}, gets {@code {"type":"OPEN"}},
 * and sends {@code {"type":"OFFER"|"ANSWER"|"CANDIDATE","dst":ID,"payload":...}}, which the server hands to
 * {@code dst} with {@code "src"} added.
 */
final class PeerJsServer {
    static final String VERSION = "1.0.2";
    /** The key every PeerJS client presents; the server's default. */
    static final String KEY = "peerjs";

    private static final long INSTALL_TIMEOUT_S = 300;
    private static final Pattern READY = Pattern.compile("Started PeerServer on .*port: (\\d+)");

    private final Path script;

    private PeerJsServer(Path script) {
        this.script = script;
    }

    /**
     * The installed server under {@code dir} ({@code .workshop/peerjs}), installed now if node and npm are
     * here; an {@link IllegalStateException} that says what is missing otherwise.
     */
    static PeerJsServer installed(Path dir, java.io.PrintStream log) {
        Path script = dir.resolve("node_modules/peer/dist/bin/peerjs.js");
        Path manifest = dir.resolve("node_modules/peer/package.json");
        String missing = missing();
        if (missing != null) {
            throw new IllegalStateException("PeerJS server needs " + missing
                    + " (on Debian, as root: apt-get install -y nodejs npm; macOS: brew install node;"
                    + " Windows: winget install OpenJS.NodeJS)");
        }
        if (Files.isRegularFile(script) && installedVersion(manifest).equals(VERSION)) {
            return new PeerJsServer(script);
        }
        try {
            Files.createDirectories(dir);
            Path npmLog = dir.resolve("npm-install.log");
            log.println("installing PeerJS server (npm package peer@" + VERSION + ") under " + dir
                    + " with this machine's npm (log: " + npmLog + ") ...");
            // --no-package-lock: nothing that names a registry is written; the version is pinned exactly.
            Process npm = new ProcessBuilder(
                            npm(),
                            "install",
                            "--no-audit",
                            "--no-fund",
                            "--no-package-lock",
                            "--save-exact",
                            "--prefix",
                            dir.toString(),
                            "peer@" + VERSION)
                    .redirectErrorStream(true)
                    .redirectOutput(npmLog.toFile())
                    .start();
            if (!npm.waitFor(INSTALL_TIMEOUT_S, TimeUnit.SECONDS)) {
                npm.destroyForcibly();
                throw new IllegalStateException(
                        "npm install peer@" + VERSION + " took over " + INSTALL_TIMEOUT_S + " s (see " + npmLog + ")");
            }
            if (npm.exitValue() != 0 || !Files.isRegularFile(script)) {
                throw new IllegalStateException("npm install peer@" + VERSION + " failed (exit " + npm.exitValue()
                        + "): " + String.join(" | ", tail(npmLog)));
            }
            return new PeerJsServer(script);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot install PeerJS server under " + dir, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while installing PeerJS server");
        }
    }

    /** Null when node and npm both run here; otherwise what is missing, as a learner would name it. */
    static String missing() {
        List<String> absent = new ArrayList<>();
        if (!runs("node")) {
            absent.add("node");
        }
        if (!runs(npm())) {
            absent.add("npm");
        }
        return absent.isEmpty() ? null : String.join(" and ", absent) + " on the PATH";
    }

    /** A fresh server on 127.0.0.1, on a free port, in front of {@code pin} (a taskset prefix, or nothing). */
    ServerProcess start(List<String> pin) throws IOException {
        List<String> command = new ArrayList<>(pin);
        command.addAll(List.of(
                "node", script.toString(), "--host", "127.0.0.1", "--port", String.valueOf(freePort()), "--key", KEY));
        return ServerProcess.start("PeerJS server", command, READY, "http://127.0.0.1:");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String npm() {
        return System.getProperty("os.name").startsWith("Windows") ? "npm.cmd" : "npm";
    }

    private static boolean runs(String program) {
        try {
            Process p = new ProcessBuilder(program, "--version")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String installedVersion(Path manifest) {
        try {
            return callguide.kit.signal.Json.MAPPER
                    .readTree(manifest.toFile())
                    .path("version")
                    .asText("");
        } catch (IOException e) {
            return "";
        }
    }

    private static List<String> tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            return lines.subList(Math.max(0, lines.size() - 5), lines.size());
        } catch (IOException e) {
            return List.of();
        }
    }
}
