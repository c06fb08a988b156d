package callguide.kit.net;

import callguide.kit.timeline.CallTimeline;
import callguide.kit.timeline.EventKind;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * A network between two peers on 127.0.0.1 that a learner can turn knobs on, without root: a UDP
 * forwarder the kit controls, whose ports are what the peers learn of each other. Delay, jitter,
 * loss, a bandwidth cap and a cut ({@link LinkSettings}), changed while the call runs; every
 * change is recorded on the timelines given to {@link #record}.
 *
 * <p>How packets go through it: {@link #route} rewrites each signalled candidate
 * {@code 127.0.0.1:P} (a peer's own socket) to {@code 127.0.0.1:F}, a <em>front</em> socket of the
 * link that stands for it. A packet arriving at front F from some source S is sent on to P out
 * of the front that stands for S when S was signalled too (the other peer's socket, or a TURN
 * server's relayed address), so P sees it come from the very address signalled for S, as on a
 * real network (no peer-reflexive candidates made by the link); from a source never signalled it
 * goes out of a <em>back</em> socket kept for S alone, and what P sends back to that back socket
 * goes out of F to S. Either way the mapping is symmetric, so replies come back through the link
 * and ICE's checks succeed. No packet between the two peers goes around the link: each knows the
 * other only by the link's sockets. Candidates that could go around it (TCP) are not signalled.
 * A relay candidate (an address on a TURN server) is signalled as it is: what goes to it goes
 * through the TURN server, which the link does not stand between, so a relay-only call keeps its
 * relay-to-relay pair and none of the link's settings touch it. With {@code direct=off} every front
 * drops what reaches it: the peers reach their TURN server, never each other (a restrictive network).
 *
 * <p>Bounded: at most {@value #MAX_QUEUED_PACKETS} packets or {@value #MAX_QUEUED_BYTES} bytes wait
 * in it, and under a bandwidth cap a packet that would wait more than {@link #QUEUE_LIMIT} to be
 * sent is dropped (a router's tail drop); at most {@value #MAX_FRONTS} front sockets (beyond, the one
 * that carried nothing for the longest goes, with its back sockets: a link that outlives many calls,
 * as a test class's does, keeps up with their new sockets) and {@value #MAX_BACKS} back sockets each.
 * One thread sends, one receives per socket.
 */
public final class Link implements AutoCloseable {
    /** Under a bandwidth cap, the longest a packet waits for its turn before it is dropped. */
    public static final Duration QUEUE_LIMIT = Duration.ofMillis(500);

    static final int MAX_QUEUED_PACKETS = 4096;
    static final long MAX_QUEUED_BYTES = 4L << 20;
    static final int MAX_FRONTS = 32;
    static final int MAX_BACKS = 8;
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    /** What the link has done so far. */
    public record Counters(
            long received,
            long forwarded,
            long lostAtRandom,
            long droppedByCut,
            long droppedByQueue,
            long peakQueuedBytes,
            long droppedAsDirect) {
        /**
         * {@code 1422 packets forwarded, 342 lost at random, 0 dropped by the cut, 0 by the queue}, and
         * {@code , 96 sent direct (direct=off)} when any were.
         */
        @Override
        public String toString() {
            return forwarded + " packets forwarded, " + lostAtRandom + " lost at random, " + droppedByCut
                    + " dropped by the cut, " + droppedByQueue + " by the queue"
                    + (droppedAsDirect > 0 ? ", " + droppedAsDirect + " sent direct (direct=off)" : "");
        }
    }

    private volatile LinkSettings settings;
    private volatile boolean cut;
    private volatile long cutSince;
    private volatile boolean closed;
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
    private final Map<InetSocketAddress, Front> fronts = new ConcurrentHashMap<>();
    private final List<DatagramSocket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicBoolean started = new AtomicBoolean();
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "link-timer"));

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition due = lock.newCondition();
    /** Guarded by {@link #lock}: packets waiting to be sent, soonest first. */
    private final PriorityQueue<Packet> queue = new PriorityQueue<>();
    /** Guarded by {@link #lock}: when each destination's share of the bandwidth is next free (nanoTime). */
    private final Map<InetSocketAddress, Long> nextFree = new HashMap<>();

    private long queuedBytes;
    private long sequence;
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong forwarded = new AtomicLong();
    private final AtomicLong lost = new AtomicLong();
    private final AtomicLong droppedByCut = new AtomicLong();
    private final AtomicLong droppedByQueue = new AtomicLong();
    private final AtomicLong peakQueuedBytes = new AtomicLong();
    private final AtomicLong droppedAsDirect = new AtomicLong();
    private final Thread sender;

    private record Packet(long due, long seq, DatagramSocket via, InetSocketAddress to, byte[] data)
            implements Comparable<Packet> {
        @Override
        public int compareTo(Packet o) {
            return due != o.due ? Long.compare(due, o.due) : Long.compare(seq, o.seq);
        }
    }

    private Link(LinkSettings settings) {
        this.settings = settings;
        this.sender = daemon(this::send, "link-send");
        sender.start();
    }

    /** A link with {@code settings}; it forwards once {@link #route} has given the peers its ports. */
    public static Link start(LinkSettings settings) {
        return new Link(settings);
    }

    public LinkSettings settings() {
        return settings;
    }

    /** Each change, as a line ({@code settings loss=20%}, {@code cut: every packet dropped}), to {@code listener}. */
    public void onChange(Consumer<String> listener) {
        listeners.add(listener);
    }

    /** Each change recorded on {@code timeline} as {@link EventKind#LINK}, starting with the settings now. */
    public void record(CallTimeline timeline) {
        timeline.record(EventKind.LINK, "settings " + settings);
        onChange(change -> timeline.record(EventKind.LINK, change));
    }

    /** New settings from now on (a cut stays as it is). */
    public void set(LinkSettings next) {
        settings = next;
        changed("settings " + next);
    }

    /** From now on every packet is dropped, each way, until {@link #heal()}. */
    public void cut() {
        lock.lock();
        try {
            if (cut) {
                return;
            }
            cut = true;
            cutSince = System.nanoTime();
            droppedByCut.addAndGet(queue.size()); // what was on the way is lost with the cut
            queue.clear();
            queuedBytes = 0;
        } finally {
            lock.unlock();
        }
        changed("cut: every packet dropped");
    }

    /** Packets flow again. */
    public void heal() {
        if (!cut) {
            return;
        }
        cut = false;
        changed("healed after " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - cutSince) + " ms cut");
    }

    /** The local ports of every socket the link has bound: the only ports either peer should ever see of the other. */
    public java.util.Set<Integer> ports() {
        java.util.Set<Integer> ports = new java.util.TreeSet<>();
        sockets.forEach(socket -> ports.add(socket.getLocalPort()));
        return ports;
    }

    public boolean isCut() {
        return cut;
    }

    public Counters counters() {
        return new Counters(
                received.get(),
                forwarded.get(),
                lost.get(),
                droppedByCut.get(),
                droppedByQueue.get(),
                peakQueuedBytes.get(),
                droppedAsDirect.get());
    }

    /**
     * The candidate line to signal instead of {@code candidate}: a UDP candidate on 127.0.0.1 gets the port of the
     * link's socket that stands for it; one on 127.0.0.1 over TCP gives null (not to be signalled: it would go around
     * the link); a relay candidate, and any other, is returned as it is. Throws {@link IllegalStateException} when
     * the link is closed.
     */
    public String route(String candidate) {
        String[] f = candidate == null ? new String[0] : candidate.split(" ");
        if (f.length < 8 || !f[4].equals("127.0.0.1") || (f[6].equals("typ") && f[7].equals("relay"))) {
            return candidate; // elsewhere, or on a TURN server: not the link's to stand between
        }
        if (!f[2].equalsIgnoreCase("udp")) {
            return null;
        }
        int port;
        try {
            port = Integer.parseInt(f[5]);
        } catch (NumberFormatException e) {
            return candidate;
        }
        Front front = front(new InetSocketAddress(LOOPBACK, port));
        f[5] = String.valueOf(front.socket.getLocalPort());
        return String.join(" ", f);
    }

    private synchronized Front front(InetSocketAddress real) {
        if (closed) {
            throw new IllegalStateException("the link is closed");
        }
        Front front = fronts.get(real);
        if (front == null) {
            if (fronts.size() >= MAX_FRONTS) {
                fronts.values().stream()
                        .min(java.util.Comparator.comparingLong(f -> f.lastUsed))
                        .ifPresent(Front::retire);
            }
            front = new Front(real, bind());
            fronts.put(real, front);
            daemon(front::receive, "link-front-" + real.getPort()).start();
        }
        return front;
    }

    private DatagramSocket bind() {
        try {
            DatagramSocket socket = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
            sockets.add(socket);
            return socket;
        } catch (SocketException e) {
            throw new IllegalStateException("the link cannot bind a UDP socket on 127.0.0.1: " + e.getMessage(), e);
        }
    }

    /** The link's socket that stands for a peer's socket {@code real}: what reaches it goes on to {@code real}. */
    private final class Front {
        final InetSocketAddress real;
        final DatagramSocket socket;
        /** Guarded by itself: one back socket per source that sent here. */
        final Map<InetSocketAddress, DatagramSocket> backs = new HashMap<>();
        /** Guarded by {@link #backs}: set once it has gone, so no back socket is bound for it after. */
        boolean retired;
        /** When it last carried a packet, either way (nanoTime). */
        volatile long lastUsed = System.nanoTime();

        Front(InetSocketAddress real, DatagramSocket socket) {
            this.real = real;
            this.socket = socket;
        }

        /** Whether {@code direct=off} stops what goes through it (counted). */
        private boolean blocked() {
            if (settings.direct()) {
                return false;
            }
            received.incrementAndGet();
            droppedAsDirect.incrementAndGet();
            return true;
        }

        /** Gone to make room: its sockets closed (their threads end), what comes for it is lost. */
        void retire() {
            fronts.remove(real, this);
            synchronized (backs) {
                retired = true;
                backs.values().forEach(this::closeSocket);
                backs.clear();
            }
            closeSocket(socket);
        }

        private void closeSocket(DatagramSocket s) {
            sockets.remove(s);
            s.close();
        }

        void receive() {
            receiveEach(socket, packet -> {
                lastUsed = System.nanoTime();
                if (blocked()) {
                    return;
                }
                InetSocketAddress source = (InetSocketAddress) packet.getSocketAddress();
                Front face = fronts.get(source); // the source's own front, when it was signalled
                DatagramSocket out = face != null && face != this ? face.socket : back(source);
                if (out != null) {
                    forward(out, real, packet);
                }
            });
        }

        /** The back socket for {@code source}, bound at its first packet; null when there are too many. */
        private DatagramSocket back(InetSocketAddress source) {
            synchronized (backs) {
                DatagramSocket back = backs.get(source);
                if (back == null && backs.size() < MAX_BACKS && !closed && !retired) {
                    back = bind();
                    backs.put(source, back);
                    DatagramSocket replies = back;
                    daemon(() -> receiveReplies(replies, source), "link-back-" + back.getLocalPort())
                            .start();
                }
                return back;
            }
        }

        /** What the peer's socket sends to the back socket of {@code source} goes out of this front to it. */
        private void receiveReplies(DatagramSocket back, InetSocketAddress source) {
            receiveEach(back, packet -> {
                lastUsed = System.nanoTime();
                if (!blocked()) {
                    forward(socket, source, packet);
                }
            });
        }
    }

    /** Each packet {@code socket} receives, to {@code handle} (its buffer reused for the next), until it is closed. */
    private void receiveEach(DatagramSocket socket, Consumer<DatagramPacket> handle) {
        byte[] buffer = new byte[2048];
        while (!closed) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
            } catch (IOException e) {
                return; // closed
            }
            handle.accept(packet);
        }
    }

    /** One packet on its way to {@code to} out of {@code via}: lost, dropped, or queued for its time. */
    private void forward(DatagramSocket via, InetSocketAddress to, DatagramPacket packet) {
        received.incrementAndGet();
        if (started.compareAndSet(false, true)) {
            scheduleCut();
        }
        LinkSettings s = settings;
        if (cut) {
            droppedByCut.incrementAndGet();
            return;
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        if (s.lossPercent() > 0 && random.nextDouble() * 100 < s.lossPercent()) {
            lost.incrementAndGet();
            return;
        }
        int length = packet.getLength();
        byte[] data = java.util.Arrays.copyOfRange(packet.getData(), packet.getOffset(), packet.getOffset() + length);
        lock.lock();
        try {
            long now = System.nanoTime();
            long depart = now;
            if (s.rateKbps() > 0) {
                long free = Math.max(now, nextFree.getOrDefault(to, now));
                if (free - now > QUEUE_LIMIT.toNanos()) {
                    droppedByQueue.incrementAndGet();
                    return;
                }
                depart = free;
                nextFree.put(to, free + length * 8L * 1_000_000L / s.rateKbps());
            }
            if (queue.size() >= MAX_QUEUED_PACKETS || queuedBytes + length > MAX_QUEUED_BYTES) {
                droppedByQueue.incrementAndGet();
                return;
            }
            long jitter = s.jitter().toNanos();
            long wobble = jitter > 0 ? random.nextLong(-jitter, jitter + 1) : 0;
            long at = Math.max(depart, depart + s.delay().toNanos() + wobble);
            queue.add(new Packet(at, sequence++, via, to, data));
            queuedBytes += length;
            peakQueuedBytes.accumulateAndGet(queuedBytes, Math::max);
            due.signal();
        } finally {
            lock.unlock();
        }
    }

    /** The sending thread: each packet at its time. */
    private void send() {
        while (!closed) {
            Packet next;
            lock.lock();
            try {
                Packet head = queue.peek();
                long wait = head == null ? TimeUnit.SECONDS.toNanos(1) : head.due() - System.nanoTime();
                if (wait > 0) {
                    due.awaitNanos(wait);
                    continue;
                }
                next = queue.poll();
                queuedBytes -= next.data().length;
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            try {
                next.via().send(new DatagramPacket(next.data(), next.data().length, next.to()));
                forwarded.incrementAndGet();
            } catch (IOException e) {
                // a socket closed under it, or the peer's socket went: the packet is lost, as on a network
            }
        }
    }

    private void scheduleCut() {
        LinkSettings s = settings;
        if (s.cutAt() == null) {
            return;
        }
        later(s.cutAt(), this::cut);
        if (s.cutFor() != null) {
            later(s.cutAt().plus(s.cutFor()), this::heal);
        }
    }

    private void later(Duration after, Runnable task) {
        try {
            timer.schedule(task, after.toNanos(), TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            // closed: nothing more to change
        }
    }

    private void changed(String change) {
        for (Consumer<String> listener : listeners) {
            listener.accept(change);
        }
    }

    /** Every socket closed, every thread ends; idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        timer.shutdownNow();
        List<DatagramSocket> all = new ArrayList<>(sockets);
        all.forEach(DatagramSocket::close);
        lock.lock();
        try {
            queue.clear();
            due.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private static Thread daemon(Runnable task, String name) {
        Thread t = new Thread(task, name);
        t.setDaemon(true);
        return t;
    }
}
