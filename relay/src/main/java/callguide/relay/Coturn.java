package callguide.relay;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Debian's {@code coturn} ({@code turnserver}) as a child process of the relay, for networks that
 * block UDP between learners. It takes no configuration of the machine's ({@code /etc/turnserver.conf}
 * is never read): every option is on the command line, except the shared secret, which goes in a
 * private file so that {@code ps} does not show it to other users of the machine. The secret is 32
 * fresh random bytes per start; clients get credentials signed with it ({@link TurnCredentials}).
 *
 * <p>{@link #start} returns once coturn answers a TURN Allocate on both UDP and TCP with its
 * challenge ({@link TurnProbe}), or fails with an {@link Unavailable} saying why: the binary is
 * missing, the port is taken, or coturn exited. {@link #close} stops it, bounded; a JVM that exits
 * without closing it stops it from a shutdown hook.
 */
final class Coturn implements AutoCloseable {

    static final String PACKAGE = "coturn";
    static final String REALM = "callguide";
    static final Duration START_TIMEOUT = Duration.ofSeconds(5);
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(2);
    static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration PROBE_WAIT = Duration.ofMillis(50);
    private static final Duration PACE = Duration.ofMillis(25);
    private static final Path DEBIAN_BINARY = Path.of("/usr/bin/turnserver");
    private static final Pattern PROBLEM =
            Pattern.compile("(?i).*(error|cannot|can't|fail|denied|in use|errno|invalid|bad ).*");
    // coturn prints this for every SCTP socket it tries on a kernel without SCTP: noise, not a problem.
    private static final Pattern NOISE = Pattern.compile("(?i)socket: protocol not supported|.*allow_loopback_peers.*");

    private final Process process;
    private final Path directory;
    private final String secret;
    private final int port;
    private final String host;
    private final List<String> command;
    private final Thread shutdownHook;
    private volatile boolean closed;

    private Coturn(Process process, Path directory, String secret, int port, String host, List<String> command) {
        this.process = process;
        this.directory = directory;
        this.secret = secret;
        this.port = port;
        this.host = host;
        this.command = command;
        this.shutdownHook = new Thread(this::stop, "coturn-shutdown-" + process.pid());
    }

    /** Why there is no TURN server: the binary is missing, the port is taken, or coturn did not come up. */
    static final class Unavailable extends Exception {
        Unavailable(String message) {
            super(message);
        }
    }

    /** {@code turnserver} on the PATH, or Debian's {@code /usr/bin/turnserver}. */
    static Optional<Path> binary() {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                Path candidate = Path.of(dir.isEmpty() ? "." : dir, "turnserver");
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Files.isExecutable(DEBIAN_BINARY) ? Optional.of(DEBIAN_BINARY) : Optional.empty();
    }

    /** What to tell someone whose machine lacks coturn. */
    static String installHint() {
        return "turnserver is not installed: install the package " + PACKAGE + " (apt-get install " + PACKAGE
                + ", or on macOS brew install " + PACKAGE + ")";
    }

    /**
     * The binary, installed first with apt-get when it is missing and this process may do so
     * (root, apt-get present); otherwise an {@link Unavailable} naming the package.
     */
    static Path findOrInstall() throws Unavailable {
        Optional<Path> found = binary();
        if (found.isPresent()) {
            return found.get();
        }
        Optional<Path> aptGet = Stream.of("/usr/bin/apt-get", "/bin/apt-get")
                .map(Path::of)
                .filter(Files::isExecutable)
                .findFirst();
        if (!"root".equals(System.getProperty("user.name")) || aptGet.isEmpty()) {
            throw new Unavailable(installHint());
        }
        System.err.println("relay: turnserver not found; installing the package " + PACKAGE
                + " (apt-get install -y --no-install-recommends " + PACKAGE + ", up to " + INSTALL_TIMEOUT.toMinutes()
                + " min)");
        Path log = null;
        try {
            log = Files.createTempFile("callguide-apt-", ".log");
            ProcessBuilder apt = new ProcessBuilder(
                            aptGet.get().toString(), "install", "-y", "--no-install-recommends", PACKAGE)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            apt.environment().put("DEBIAN_FRONTEND", "noninteractive");
            Process install = apt.start();
            install.getOutputStream().close();
            if (!install.waitFor(INSTALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                install.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                throw new Unavailable(
                        installHint() + "; apt-get did not finish within " + INSTALL_TIMEOUT.toMinutes() + " min");
            }
            if (install.exitValue() != 0 || binary().isEmpty()) {
                throw new Unavailable(installHint() + "; apt-get install " + PACKAGE + " failed (exit "
                        + install.exitValue() + "): " + String.join(" / ", tail(List.of(log), 3)));
            }
            return binary().orElseThrow();
        } catch (IOException e) {
            throw new Unavailable(installHint() + "; apt-get could not run: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable(installHint() + "; interrupted while installing it");
        } finally {
            deleteQuietly(log);
        }
    }

    /**
     * Starts coturn on UDP and TCP {@code host:port} ({@code port} 0: a free one), relaying
     * through UDP ports {@code minRelayPort}-{@code maxRelayPort}, and waits until it answers.
     */
    static Coturn start(String host, int port, int minRelayPort, int maxRelayPort) throws Unavailable {
        Path binary = findOrInstall();
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (IOException e) {
            throw new Unavailable("the relay's host " + host + " does not resolve to an address coturn can listen on");
        }
        int chosen = port == 0 ? freePort(address) : port;
        String taken = takenBy(address, chosen);
        if (taken != null) {
            throw new Unavailable(taken + " " + hostPort(address.getHostAddress(), chosen)
                    + " is taken (an earlier turnserver still running? pgrep -a turnserver), choose "
                    + "another with --turn-port");
        }
        Path directory = null;
        try {
            directory = Files.createTempDirectory(
                    "callguide-turn-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            String secret = HexFormat.of().formatHex(randomBytes(32));
            Path secretFile = directory.resolve("turnserver.conf");
            Files.writeString(secretFile, "static-auth-secret=" + secret + "\n", StandardCharsets.US_ASCII);
            Files.setPosixFilePermissions(secretFile, PosixFilePermissions.fromString("rw-------"));
            List<String> command = command(binary, address, chosen, minRelayPort, maxRelayPort, directory);
            Path output = directory.resolve("turnserver.out");
            Process process = new ProcessBuilder(command)
                    .directory(directory.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .start();
            process.getOutputStream().close();
            Coturn coturn = new Coturn(process, directory, secret, chosen, address.getHostAddress(), command);
            Runtime.getRuntime().addShutdownHook(coturn.shutdownHook);
            try {
                coturn.awaitAnswer(address.isAnyLocalAddress() ? InetAddress.getLoopbackAddress() : address);
            } catch (Unavailable | RuntimeException e) {
                coturn.close();
                throw e;
            }
            return coturn;
        } catch (IOException e) {
            deleteTree(directory);
            throw new Unavailable("turnserver could not be started: " + e.getMessage());
        }
    }

    /**
     * The whole command line. The host given: listen and relay there. The wildcard address: no
     * {@code -L}/{@code -E} at all, so coturn listens on every address of the machine and relays
     * from each non-loopback one (it cannot listen on 0.0.0.0 and still say which address a relay
     * candidate has).
     */
    static List<String> command(
            Path binary, InetAddress address, int port, int minRelayPort, int maxRelayPort, Path directory) {
        List<String> c = new ArrayList<>(List.of(
                binary.toString(),
                "-c",
                directory.resolve("turnserver.conf").toString(), // only the secret: never /etc/turnserver.conf
                "--db",
                directory.resolve("turndb").toString())); // not /var/lib/turn/turndb
        if (!address.isAnyLocalAddress()) {
            c.addAll(List.of("--listening-ip", address.getHostAddress(), "--relay-ip", address.getHostAddress()));
        }
        c.addAll(List.of(
                "--listening-port",
                String.valueOf(port),
                "--use-auth-secret",
                "--realm",
                REALM,
                "--no-tls",
                "--no-dtls",
                "--no-cli",
                "--no-tcp-relay",
                "--no-rfc5780",
                "--no-multicast-peers",
                "--fingerprint",
                "--min-port",
                String.valueOf(minRelayPort),
                "--max-port",
                String.valueOf(maxRelayPort)));
        if (address.isLoopbackAddress()) {
            c.add("--allow-loopback-peers"); // both peers' relayed addresses are 127.0.0.1
        }
        c.addAll(List.of(
                "--pidfile",
                directory.resolve("turnserver.pid").toString(),
                "--log-file",
                directory.resolve("turnserver.log").toString(),
                "--simple-log",
                "--no-stdout-log"));
        return List.copyOf(c);
    }

    private void awaitAnswer(InetAddress probeAddress) throws Unavailable {
        InetSocketAddress target = new InetSocketAddress(probeAddress, port);
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        boolean udp = false;
        boolean tcp = false;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new Unavailable("turnserver exited at once (exit " + process.exitValue() + "): " + problems());
            }
            if (logged("Cannot bind")) {
                throw new Unavailable("turnserver cannot bind " + hostPort(host, port) + " (" + problems()
                        + "), choose another with --turn-port");
            }
            udp = udp || TurnProbe.udp(target, REALM, PROBE_WAIT);
            tcp = tcp || TurnProbe.tcp(target, REALM, PROBE_WAIT);
            if (udp && tcp) {
                return;
            }
            try {
                // Paces the loop while nothing listens yet (a refused probe returns at once); returns early if coturn
                // exits.
                process.waitFor(PACE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Unavailable("interrupted while waiting for turnserver to answer");
            }
        }
        throw new Unavailable("turnserver did not answer a TURN Allocate on " + (udp ? "" : "udp ")
                + (tcp ? "" : "tcp ") + hostPort(probeAddress.getHostAddress(), port) + " within "
                + START_TIMEOUT.toSeconds() + " s: " + problems());
    }

    /** The shared secret coturn checks credentials with. Never logged. */
    String secret() {
        return secret;
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    boolean running() {
        return process.isAlive();
    }

    /** The command line it runs with (the secret is not on it). */
    List<String> command() {
        return command;
    }

    /** The last lines coturn wrote that look like a problem, or its last lines. */
    String problems() {
        List<String> lines = tail(List.of(directory.resolve("turnserver.out"), directory.resolve("turnserver.log")), 3);
        return lines.isEmpty() ? "it wrote nothing" : String.join(" / ", lines);
    }

    /** Stops coturn (SIGTERM, then SIGKILL after {@link #STOP_TIMEOUT}) and deletes its files. Idempotent. */
    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs (or ran) anyway
        }
    }

    private synchronized void stop() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            process.destroy();
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            deleteTree(directory);
        }
    }

    @Override
    public String toString() {
        return "coturn pid " + process.pid() + " on udp+tcp " + hostPort(host, port);
    }

    static String hostPort(String host, int port) {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    private boolean logged(String text) {
        for (Path file : List.of(directory.resolve("turnserver.log"), directory.resolve("turnserver.out"))) {
            try {
                if (Files.exists(file)
                        && Files.readString(file, StandardCharsets.ISO_8859_1).contains(text)) {
                    return true;
                }
            } catch (IOException e) {
                // not there yet
            }
        }
        return false;
    }

    /** Up to {@code n} distinct lines that look like problems, the last ones first found, else the last lines. */
    private static List<String> tail(List<Path> files, int n) {
        List<String> all = new ArrayList<>();
        for (Path file : files) {
            try {
                if (file != null && Files.exists(file)) {
                    Files.readAllLines(file, StandardCharsets.ISO_8859_1).stream()
                            .map(line -> line.replaceFirst("^\\d+: : ", "").strip())
                            .filter(line ->
                                    !line.isEmpty() && !NOISE.matcher(line).matches())
                            .forEach(all::add);
                }
            } catch (IOException | UncheckedIOException e) {
                // best effort: a message without the log is still a message
            }
        }
        List<String> problems =
                all.stream().filter(line -> PROBLEM.matcher(line).matches()).toList();
        List<String> source = problems.isEmpty() ? all : problems;
        LinkedHashSet<String> last =
                new LinkedHashSet<>(source.subList(Math.max(0, source.size() - 4 * n), source.size()));
        List<String> distinct = new ArrayList<>(last);
        return distinct.subList(Math.max(0, distinct.size() - n), distinct.size());
    }

    /** "udp" or "tcp" when that side of {@code address:port} is taken, else null. */
    private static String takenBy(InetAddress address, int port) {
        try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(address, port))) {
            udp.getLocalPort();
        } catch (IOException e) {
            return "udp";
        }
        try (ServerSocket tcp = new ServerSocket()) {
            tcp.setReuseAddress(false);
            tcp.bind(new InetSocketAddress(address, port));
        } catch (IOException e) {
            return "tcp";
        }
        return null;
    }

    /** A port free on both UDP and TCP at {@code address} (for tests: {@code --turn-port 0}). */
    private static int freePort(InetAddress address) throws Unavailable {
        for (int attempt = 0; attempt < 20; attempt++) {
            try (ServerSocket tcp = new ServerSocket(0, 1, address)) {
                int candidate = tcp.getLocalPort();
                tcp.close();
                if (takenBy(address, candidate) == null) {
                    return candidate;
                }
            } catch (IOException e) {
                throw new Unavailable("no free port at " + address.getHostAddress() + ": " + e.getMessage());
            }
        }
        throw new Unavailable("no port free on both UDP and TCP at " + address.getHostAddress());
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // a temporary file left behind is not worth failing for
            }
        }
    }

    private static void deleteTree(Path directory) {
        if (directory == null || !Files.exists(directory)) {
            return;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(Coturn::deleteQuietly);
        } catch (IOException | UncheckedIOException e) {
            // as above
        }
    }
}
