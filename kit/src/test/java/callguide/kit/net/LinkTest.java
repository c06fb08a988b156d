package callguide.kit.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import callguide.kit.timeline.CallTimeline;
import callguide.kit.timeline.EventKind;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The link's own mechanics, with plain UDP sockets on 127.0.0.1 as the two peers. */
@DisplayName("the link")
class LinkTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private final List<AutoCloseable> toClose = new ArrayList<>();
    /** The two peers' sockets, as webrtc-java's would be. */
    private DatagramSocket a;

    private DatagramSocket b;

    @BeforeEach
    void peers() throws Exception {
        a = peer();
        b = peer();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private Link link(String settings) {
        Link link = Link.start(LinkSettings.parse(settings));
        toClose.add(link);
        return link;
    }

    private DatagramSocket peer() throws Exception {
        DatagramSocket socket = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
        socket.setSoTimeout(2000);
        toClose.add(socket);
        return socket;
    }

    private static String candidate(DatagramSocket socket) {
        return "candidate:1 1 udp 1686052607 127.0.0.1 " + socket.getLocalPort()
                + " typ srflx raddr 0.0.0.0 rport 0 generation 0";
    }

    /** The port the link signals for {@code socket}. */
    private static int front(Link link, DatagramSocket socket) {
        return Integer.parseInt(link.route(candidate(socket)).split(" ")[5]);
    }

    private static void send(DatagramSocket from, int port, String text) throws Exception {
        byte[] data = text.getBytes(StandardCharsets.UTF_8);
        from.send(new DatagramPacket(data, data.length, new InetSocketAddress(LOOPBACK, port)));
    }

    private static DatagramPacket receive(DatagramSocket socket) throws Exception {
        DatagramPacket packet = new DatagramPacket(new byte[2048], 2048);
        socket.receive(packet);
        return packet;
    }

    private static String text(DatagramPacket packet) {
        return new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
    }

    /**
     * How many of {@code count} packets sent to {@code port} reach {@code to}: sent in bursts of 50, each drained until
     * nothing more comes for 250 ms, so no socket's buffer overflows on the way.
     */
    private static int through(DatagramSocket from, int port, DatagramSocket to, int count) throws Exception {
        int received = 0;
        to.setSoTimeout(250);
        for (int sent = 0; sent < count; ) {
            for (int i = 0; i < 50 && sent < count; i++, sent++) {
                send(from, port, "p" + sent);
            }
            try {
                while (true) {
                    receive(to);
                    received++;
                }
            } catch (SocketTimeoutException quiet) {
                // this burst is through, or dropped
            }
        }
        return received;
    }

    @Test
    @DisplayName("signals its own port for a UDP candidate on 127.0.0.1, keeps others, and keeps back TCP ones")
    void routes() throws Exception {
        Link link = link("");
        String routed = link.route(candidate(a));
        assertThat(routed)
                .startsWith("candidate:1 1 udp 1686052607 127.0.0.1 ")
                .endsWith(" typ srflx raddr 0.0.0.0" + " rport 0 generation 0");
        assertThat(routed.split(" ")[5]).isNotEqualTo(String.valueOf(a.getLocalPort()));
        assertThat(link.route(candidate(a))).as("the same socket, routed again").isEqualTo(routed);
        String tcp = "candidate:2 1 tcp 1518280447 127.0.0.1 9 typ host tcptype active generation 0";
        assertThat(link.route(tcp))
                .as("a TCP candidate, which would go around the link")
                .isNull();
        String elsewhere = "candidate:3 1 udp 2122260223 192.0.2.7 5000 typ host generation 0";
        assertThat(link.route(elsewhere)).isEqualTo(elsewhere);
        assertThat(link.route("")).isEmpty();
    }

    @Test
    @DisplayName("carries packets both ways, replies coming back through it: each peer sees only the link's sockets")
    void symmetric() throws Exception {
        Link link = link("");
        int aThroughLink = front(link, a);
        send(b, aThroughLink, "check from b");
        DatagramPacket atA = receive(a);
        assertThat(text(atA)).isEqualTo("check from b");
        assertThat(atA.getPort()).as("the source a sees").isNotIn(b.getLocalPort(), aThroughLink);
        send(a, atA.getPort(), "reply from a");
        DatagramPacket atB = receive(b);
        assertThat(text(atB)).isEqualTo("reply from a");
        assertThat(atB.getPort()).as("the source b sees: the port it sent to").isEqualTo(aThroughLink);
        await("both counted as forwarded (counted once sent)")
                .atMost(Duration.ofSeconds(2))
                .until(() -> link.counters().forwarded() == 2);
    }

    @Test
    @DisplayName("with both peers signalled, each sees the other at the address signalled for it (no prflx)")
    void signalledFaces() throws Exception {
        Link link = link("");
        int aThroughLink = front(link, a);
        int bThroughLink = front(link, b);
        send(b, aThroughLink, "check from b");
        DatagramPacket atA = receive(a);
        assertThat(atA.getPort()).as("the source a sees: b's signalled port").isEqualTo(bThroughLink);
        send(a, bThroughLink, "reply from a");
        DatagramPacket atB = receive(b);
        assertThat(text(atB)).isEqualTo("reply from a");
        assertThat(atB.getPort()).as("the source b sees: a's signalled port").isEqualTo(aThroughLink);
    }

    @Test
    @DisplayName("delays each packet by its delay")
    void delay() throws Exception {
        Link link = link("delay=150ms");
        long sent = System.nanoTime();
        send(b, front(link, a), "late");
        assertThat(text(receive(a))).isEqualTo("late");
        assertThat(Duration.ofNanos(System.nanoTime() - sent)).isGreaterThanOrEqualTo(Duration.ofMillis(150));
    }

    @Test
    @DisplayName("loses about its share of packets at random, and counts them")
    void loss() throws Exception {
        Link link = link("loss=20%");
        int received = through(b, front(link, a), a, 1000);
        await("every packet handled by the link")
                .atMost(Duration.ofSeconds(5))
                .until(() -> link.counters().forwarded() + link.counters().lostAtRandom() == 1000);
        assertThat(link.counters().lostAtRandom())
                .as("of 1000 packets at 20%% loss, lost")
                .isBetween(120L, 300L);
        assertThat(received).as("received by the peer").isBetween(600, 880);
    }

    @Test
    @DisplayName("drops every packet while cut, carries them again once healed, and records both on the timeline")
    void cutAndHeal() throws Exception {
        Link link = link("");
        CallTimeline timeline = new CallTimeline("caller");
        link.record(timeline);
        int port = front(link, a);
        link.cut();
        assertThat(link.isCut()).isTrue();
        assertThat(through(b, port, a, 20)).as("packets through while cut").isZero();
        await("20 dropped by the cut")
                .atMost(Duration.ofSeconds(2))
                .until(() -> link.counters().droppedByCut() == 20);
        link.heal();
        assertThat(through(b, port, a, 20)).as("packets through once healed").isEqualTo(20);
        link.set(LinkSettings.parse("loss=5%"));
        assertThat(timeline.values(EventKind.LINK))
                .hasSize(4)
                .startsWith("settings perfect", "cut: every packet dropped")
                .endsWith("settings loss=5%");
        assertThat(timeline.values(EventKind.LINK).get(2)).matches("healed after \\d+ ms cut");
    }

    @Test
    @DisplayName("cuts at cut-at after its first packet and heals after cut-for")
    void cutAt() throws Exception {
        Link link = link("cut-at=200ms,cut-for=300ms");
        List<String> changes = new java.util.concurrent.CopyOnWriteArrayList<>();
        link.onChange(changes::add);
        assertThat(through(b, front(link, a), a, 1)).isEqualTo(1);
        await("the cut").atMost(Duration.ofSeconds(2)).until(link::isCut);
        await("the heal").atMost(Duration.ofSeconds(2)).until(() -> !link.isCut());
        assertThat(changes).hasSize(2).first().isEqualTo("cut: every packet dropped");
    }

    @Test
    @DisplayName("under a bandwidth cap holds at most its queue limit and drops the rest, however much is sent")
    void boundedQueue() throws Exception {
        Link link = link("rate=64kbps");
        int port = front(link, a);
        byte[] data = new byte[1000];
        // In bursts the sockets' buffers hold, each read by the link before the next: nothing lost on the way to it.
        for (int sent = 50; sent <= 1000; sent += 50) {
            for (int i = 0; i < 50; i++) {
                b.send(new DatagramPacket(data, data.length, new InetSocketAddress(LOOPBACK, port)));
            }
            long expected = sent;
            await("the link has read " + sent)
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> link.counters().received() >= expected);
        }
        // 64 kbps for the queue limit of 500 ms is 4000 bytes: what waits never grows beyond that (and one packet).
        assertThat(link.counters().droppedByQueue()).as("dropped at the cap").isGreaterThan(800);
        assertThat(link.counters().peakQueuedBytes()).isLessThanOrEqualTo(64_000 / 8 / 2 + 1000);
    }

    @Test
    @DisplayName("stands for at most its cap of sockets: beyond it the longest unused goes, and the newest carries")
    void boundedSockets() throws Exception {
        Link link = link("");
        for (int i = 0; i < Link.MAX_FRONTS + 10; i++) {
            link.route(candidate(peer()));
        }
        assertThat(link.ports()).as("sockets the link holds").hasSize(Link.MAX_FRONTS);
        send(b, front(link, a), "still through");
        assertThat(text(receive(a))).isEqualTo("still through");
    }

    @Test
    @DisplayName("with direct=off drops what goes between the peers' own sockets, and leaves relay candidates alone")
    void directOff() throws Exception {
        Link link = link("direct=off");
        String relay = "candidate:4 1 udp 41885439 127.0.0.1 3479 typ relay raddr 127.0.0.1 rport 5000 generation 0";
        assertThat(link.route(relay))
                .as("a relay candidate: through the TURN server, not the link")
                .isEqualTo(relay);
        int aThroughLink = front(link, a);
        send(b, aThroughLink, "direct to a");
        await("the direct packet counted as dropped")
                .atMost(Duration.ofSeconds(2))
                .until(() -> link.counters().droppedAsDirect() == 1);
        a.setSoTimeout(300);
        assertThatThrownBy(() -> receive(a))
                .as("nothing reaches a's own socket")
                .isInstanceOf(SocketTimeoutException.class);
        assertThat(link.counters().toString()).endsWith(", 1 sent direct (direct=off)");
        link.set(link.settings().withDirect(true));
        send(b, aThroughLink, "direct again");
        assertThat(text(receive(a))).isEqualTo("direct again");
    }

    @Test
    @DisplayName("refuses a setting it does not know, or out of range, saying what it takes")
    void badSettings() {
        assertThatThrownBy(() -> LinkSettings.parse("lag=3")).hasMessageContaining(LinkSettings.SYNTAX);
        assertThatThrownBy(() -> LinkSettings.parse("loss=120%")).hasMessageContaining("loss takes 0% to 100%");
        assertThatThrownBy(() -> LinkSettings.parse("delay=soon")).hasMessageContaining("not \"soon\"");
        assertThatThrownBy(() -> LinkSettings.parse("cut-for=2s")).hasMessageContaining("cut-for needs cut-at");
        assertThatThrownBy(() -> LinkSettings.parse("direct=no")).hasMessageContaining("direct takes on or off");
        assertThat(LinkSettings.parse("direct=off,loss=5%").toString()).isEqualTo("loss=5%,direct=off");
        assertThat(LinkSettings.parse("direct=on")).isEqualTo(LinkSettings.perfect());
        assertThat(LinkSettings.parse("loss=20%,delay=150ms,cut-at=3s").toString())
                .isEqualTo("delay=150ms,loss=20%,cut-at=3s");
        assertThat(LinkSettings.parse("delay=0.2s,jitter=30,rate=500kbps,cut-at=1500ms,cut-for=2")
                        .toString())
                .isEqualTo("delay=200ms,jitter=30ms,rate=500kbps,cut-at=1500ms,cut-for=2s");
    }
}
