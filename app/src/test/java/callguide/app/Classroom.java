package callguide.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A classroom network on this machine: the instructor's host (the relay) and two learners'
 * laptops, each a network namespace of its own, joined by a bridge in a fourth. The addresses
 * ({@value #SUBNET}.0/24) exist only inside these namespaces, there is no route to anywhere else,
 * and IPv6 is off in all of them, so every packet a test sends stays between them. Everything is
 * removed on {@link #close()}, processes still running inside included. Needs root.
 */
final class Classroom implements AutoCloseable {
    static final String SUBNET = "10.87.0";

    /** One machine of the room. */
    enum Host {
        RELAY(10),
        ALICE(11),
        BOB(12);

        final int lastOctet;

        Host(int lastOctet) {
            this.lastOctet = lastOctet;
        }

        String address() {
            return SUBNET + "." + lastOctet;
        }
    }

    private final String id = UUID.randomUUID().toString().substring(0, 6);
    private final String bridgeNs = "cg-" + id + "-switch";
    private final List<String> namespaces = new ArrayList<>();

    private Classroom() {}

    /** Why a classroom cannot be made here, or null when it can (root, iproute2, network namespaces). */
    static String whyNot() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return "network namespaces need root (CI runs as root)";
        }
        try {
            Process p = new ProcessBuilder("ip", "netns", "list")
                    .redirectErrorStream(true)
                    .start();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return "'ip netns list' failed: "
                        + new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            return "no 'ip' command (apt-get install iproute2): " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
        return null;
    }

    /** Builds the room: three hosts on one bridge, every direct path open. */
    static Classroom build() throws IOException {
        Classroom room = new Classroom();
        try {
            room.ns(room.bridgeNs);
            room.run("ip", "-n", room.bridgeNs, "link", "add", "br0", "type", "bridge");
            room.run("ip", "-n", room.bridgeNs, "link", "set", "br0", "up");
            for (Host host : Host.values()) {
                String ns = room.namespace(host);
                room.ns(ns);
                String port = "p-" + host.name().toLowerCase(Locale.ROOT);
                room.run(
                        "ip",
                        "-n",
                        ns,
                        "link",
                        "add",
                        "eth0",
                        "type",
                        "veth",
                        "peer",
                        "name",
                        port,
                        "netns",
                        room.bridgeNs);
                room.run("ip", "-n", room.bridgeNs, "link", "set", port, "master", "br0");
                room.run("ip", "-n", room.bridgeNs, "link", "set", port, "up");
                room.run("ip", "-n", ns, "addr", "add", host.address() + "/24", "dev", "eth0");
                room.run("ip", "-n", ns, "link", "set", "eth0", "up");
                room.run("ip", "-n", ns, "link", "set", "lo", "up");
            }
            return room;
        } catch (IOException | RuntimeException e) {
            room.close();
            throw e;
        }
    }

    String namespace(Host host) {
        return "cg-" + id + "-" + host.name().toLowerCase(Locale.ROOT);
    }

    /** The command prefix that runs a program on {@code host}. */
    List<String> on(Host host) {
        return List.of("ip", "netns", "exec", namespace(host));
    }

    /**
     * Every direct packet between the two learners is dropped, UDP and TCP alike (with UDP alone
     * dropped libwebrtc connects over ICE-TCP): only the path through the instructor's host is left.
     */
    void cutLearnersApart() throws IOException {
        run("ip", "-n", namespace(Host.ALICE), "route", "add", "blackhole", Host.BOB.address() + "/32");
        run("ip", "-n", namespace(Host.BOB), "route", "add", "blackhole", Host.ALICE.address() + "/32");
    }

    /** The direct path between the learners open again. */
    void joinLearners() throws IOException {
        run("ip", "-n", namespace(Host.ALICE), "route", "del", "blackhole", Host.BOB.address() + "/32");
        run("ip", "-n", namespace(Host.BOB), "route", "del", "blackhole", Host.ALICE.address() + "/32");
    }

    /** Every process still running in the room is killed, then the namespaces go. */
    @Override
    public void close() {
        for (String ns : namespaces) {
            try {
                Process pids = new ProcessBuilder("ip", "netns", "pids", ns).start();
                String out = new String(pids.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                pids.waitFor(10, TimeUnit.SECONDS);
                for (String pid : out.split("\\s+")) {
                    if (!pid.isBlank()) {
                        ProcessHandle.of(Long.parseLong(pid.trim())).ifPresent(ProcessHandle::destroyForcibly);
                    }
                }
            } catch (IOException | RuntimeException e) {
                System.err.println("classroom: listing the processes of " + ns + ": " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (String ns : namespaces) {
            try {
                run("ip", "netns", "del", ns);
            } catch (IOException | RuntimeException e) {
                System.err.println("classroom: removing " + ns + ": " + e);
            }
        }
        namespaces.clear();
    }

    private void ns(String name) throws IOException {
        run("ip", "netns", "add", name);
        namespaces.add(name);
        // No IPv6: a link-local path between the learners would survive cutLearnersApart.
        run("ip", "netns", "exec", name, "sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1");
        run("ip", "netns", "exec", name, "sysctl", "-q", "-w", "net.ipv6.conf.default.disable_ipv6=1");
    }

    private void run(String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish within 20 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", command), e);
        }
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed (exit " + p.exitValue() + "): "
                    + new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim());
        }
    }
}
