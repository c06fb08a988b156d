package callguide.relay;

import callguide.kit.signal.MessageTypes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One room's {@link Faults}, between a peer's message and its delivery. Each stream (one sender to
 * one recipient) goes through three stages in turn: {@code early-candidates} holds an offer or
 * answer while the candidates after it go first; {@code reorder} collects a run of candidates and
 * lets it go shuffled; {@code delay} and {@code duplicate} deliver each message later, and twice.
 * Every message delivered carries what was done to it, for the live view.
 *
 * <p>Guarded by the room's lock ({@code lock}); its timers take that lock too. Bounded: at most
 * {@value #MAX_PENDING} messages or {@value #MAX_PENDING_CHARS} characters held in a room; a
 * message that would go beyond is delivered at once, after everything its sender's stream held
 * (order kept, nothing lost). Nothing is held longer than {@link Faults#LONGEST_HOLD}, then
 * {@link Faults#SHUFFLE_WINDOW}, then the delay.
 */
final class FaultInjector {
    static final int MAX_PENDING = 500;
    static final long MAX_PENDING_CHARS = 1L << 20;

    /** Puts a message on the recipient's stream (if it is still in the room), {@code fault} saying what was done. */
    interface Delivery {
        void deliver(String from, String to, PeerMessage message, String fault);
    }

    private final Faults faults;
    private final ScheduledExecutorService timers;
    private final Object lock;
    private final Delivery delivery;
    private final Map<String, Stream> streams = new HashMap<>();
    private final Random random = new Random();
    private int pending;
    private long pendingChars;

    FaultInjector(Faults faults, ScheduledExecutorService timers, Object lock, Delivery delivery) {
        this.faults = faults;
        this.timers = timers;
        this.lock = lock;
        this.delivery = delivery;
    }

    /** A message from {@code from} to {@code to}, on its way through the faults. */
    void forward(String from, String to, PeerMessage message) {
        Stream stream = streams.computeIfAbsent(from + "\n" + to, k -> new Stream(from, to));
        Item item = new Item(message);
        if (pending + 1 > MAX_PENDING || pendingChars + item.chars > MAX_PENDING_CHARS) {
            stream.flush("the relay's cap on what its faults hold was reached");
            item.marks.add("delivered at once: the relay holds at most " + MAX_PENDING + " messages for its faults");
            pending++;
            pendingChars += item.chars;
            stream.emit(item, false);
            return;
        }
        pending++;
        pendingChars += item.chars;
        stream.early(item);
    }

    /** {@code peer} is leaving: what it sent is delivered now, before the others hear it left. */
    void flushFrom(String peer) {
        for (Stream stream : List.copyOf(streams.values())) {
            if (stream.from.equals(peer)) {
                stream.flush("its sender left");
            }
        }
    }

    /** {@code peer} has left: what was held for it is forgotten. */
    void dropTo(String peer) {
        for (Iterator<Stream> it = streams.values().iterator(); it.hasNext(); ) {
            Stream stream = it.next();
            if (stream.to.equals(peer) || stream.from.equals(peer)) {
                stream.forget();
                it.remove();
            }
        }
    }

    /** Messages held right now (for tests: zero once everything went). */
    int pending() {
        return pending;
    }

    private static boolean isCandidate(PeerMessage m) {
        return MessageTypes.CANDIDATE.equals(m.type());
    }

    private static boolean isDescription(PeerMessage m) {
        return MessageTypes.OFFER.equals(m.type()) || MessageTypes.ANSWER.equals(m.type());
    }

    /** One message and what the faults did to it so far. */
    private static final class Item {
        final PeerMessage message;
        final long chars;
        final List<String> marks = new ArrayList<>(2);
        long due;

        Item(PeerMessage message) {
            this.message = message;
            this.chars = 64 + (message.payload() == null ? 0 : message.payload().length());
        }
    }

    /** What one sender sent one recipient and the faults still hold; each timer checks it is still the current one. */
    private final class Stream {
        final String from;
        final String to;
        final Deque<Item> held = new ArrayDeque<>();
        long holdStarted;
        int candidatesBefore;
        long holdGeneration;
        final List<Item> shuffle = new ArrayList<>();
        long shuffleGeneration;
        final Deque<Item> delayed = new ArrayDeque<>();
        long delayGeneration;

        Stream(String from, String to) {
            this.from = from;
            this.to = to;
        }

        /** Stage 1, early-candidates: an offer or answer waits, and what else follows it waits behind it. */
        void early(Item item) {
            if (!faults.earlyCandidates()) {
                reorder(item);
            } else if (!held.isEmpty()) {
                if (isCandidate(item.message)) {
                    item.marks.add("sent after the " + held.peekFirst().message.type() + ", delivered before it");
                    candidatesBefore++;
                    reorder(item);
                    waitForQuiet();
                } else {
                    held.addLast(item);
                }
            } else if (isDescription(item.message)) {
                held.addLast(item);
                holdStarted = System.nanoTime();
                candidatesBefore = 0;
                waitForQuiet();
            } else {
                reorder(item);
            }
        }

        private void waitForQuiet() {
            long left = Faults.LONGEST_HOLD.toNanos() - (System.nanoTime() - holdStarted);
            long wait = Math.max(0, Math.min(Faults.QUIET.toNanos(), left));
            long generation = ++holdGeneration;
            later(wait, () -> {
                if (generation == holdGeneration) {
                    release();
                }
            });
        }

        private void release() {
            holdGeneration++;
            if (held.isEmpty()) {
                return;
            }
            Item first = held.peekFirst();
            first.marks.add("held " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - holdStarted) + " ms, until "
                    + candidatesBefore + " candidate" + (candidatesBefore == 1 ? "" : "s") + " sent after it had gone");
            while (!held.isEmpty()) {
                reorder(held.pollFirst());
            }
        }

        /** Stage 2, reorder: a run of candidates is collected for a moment, then let go shuffled. */
        void reorder(Item item) {
            if (!faults.reorder()) {
                delay(item);
            } else if (isCandidate(item.message)) {
                shuffle.add(item);
                if (shuffle.size() == 1) {
                    long generation = ++shuffleGeneration;
                    later(Faults.SHUFFLE_WINDOW.toNanos(), () -> {
                        if (generation == shuffleGeneration) {
                            shuffled();
                        }
                    });
                }
            } else {
                shuffled();
                delay(item);
            }
        }

        private void shuffled() {
            shuffleGeneration++;
            if (shuffle.isEmpty()) {
                return;
            }
            List<Item> order = new ArrayList<>(shuffle);
            Collections.shuffle(order, random);
            if (order.size() > 1 && order.equals(shuffle)) {
                Collections.rotate(order, 1); // a shuffle that changed nothing would show nothing
            }
            for (int i = 0; i < order.size(); i++) {
                Item item = order.get(i);
                int sent = shuffle.indexOf(item);
                if (sent != i) {
                    item.marks.add("reordered: sent " + ordinal(sent + 1) + " of " + order.size()
                            + " candidates, delivered " + ordinal(i + 1));
                }
            }
            shuffle.clear();
            order.forEach(this::delay);
        }

        /** Stage 3, delay (order kept) and duplicate. */
        void delay(Item item) {
            if (faults.delayMillis() == 0) {
                emit(item, faults.duplicate());
                return;
            }
            item.due = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(faults.delayMillis());
            delayed.addLast(item);
            if (delayed.size() == 1) {
                drainLater();
            }
        }

        private void drainLater() {
            long generation = ++delayGeneration;
            later(Math.max(0, delayed.peekFirst().due - System.nanoTime()), () -> {
                if (generation != delayGeneration) {
                    return;
                }
                long now = System.nanoTime();
                while (!delayed.isEmpty() && delayed.peekFirst().due - now <= 0) {
                    Item item = delayed.pollFirst();
                    item.marks.add("delayed " + faults.delayMillis() + " ms");
                    emit(item, faults.duplicate());
                }
                if (!delayed.isEmpty()) {
                    drainLater();
                }
            });
        }

        /** Delivers it (and a second copy when {@code twice}); it is held no more. */
        void emit(Item item, boolean twice) {
            pending--;
            pendingChars -= item.chars;
            String fault = item.marks.isEmpty() ? null : String.join("; ", item.marks);
            delivery.deliver(from, to, item.message, fault);
            if (twice) {
                delivery.deliver(
                        from, to, item.message, (fault == null ? "" : fault + "; ") + "duplicate: a second copy");
            }
        }

        /** Everything held, delivered now in the order it would have gone. */
        void flush(String why) {
            release();
            shuffled();
            delayGeneration++;
            while (!delayed.isEmpty()) {
                Item item = delayed.pollFirst();
                item.marks.add("delayed less than " + faults.delayMillis() + " ms (" + why + ")");
                emit(item, faults.duplicate());
            }
        }

        /** Nothing held is delivered; the timers find nothing. */
        void forget() {
            for (Deque<Item> queue : List.of(held, delayed)) {
                queue.forEach(item -> {
                    pending--;
                    pendingChars -= item.chars;
                });
                queue.clear();
            }
            shuffle.forEach(item -> {
                pending--;
                pendingChars -= item.chars;
            });
            shuffle.clear();
            holdGeneration++;
            shuffleGeneration++;
            delayGeneration++;
        }
    }

    /** Runs {@code task} under the room's lock after {@code nanos}; nothing when the relay is closing. */
    private void later(long nanos, Runnable task) {
        try {
            timers.schedule(
                    () -> {
                        synchronized (lock) {
                            task.run();
                        }
                    },
                    nanos,
                    TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException closing) {
            // the relay is shutting down: every peer goes, nothing is left to deliver to
        }
    }

    private static String ordinal(int n) {
        return n
                + (n % 100 >= 11 && n % 100 <= 13
                        ? "th"
                        : switch (n % 10) {
                            case 1 -> "st";
                            case 2 -> "nd";
                            case 3 -> "rd";
                            default -> "th";
                        });
    }
}
