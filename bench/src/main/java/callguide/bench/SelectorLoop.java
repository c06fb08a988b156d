package callguide.bench;

import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The load generator's selector thread, shared by its clients ({@link NioHttp}, {@link NioWebSockets}): each turn of
 * the loop does the work queued since the last ({@link #pending}), selects, then hands every ready key to
 * {@link #ready}; on stopping (closed, or the selector failed) it hands every registered key's attachment to
 * {@link #stopped}, then closes the selector. Other threads queue work, then {@link #signal} it.
 *
 * @param <A> what the clients attach to their keys (a connection, a socket)
 */
abstract class SelectorLoop<A> implements AutoCloseable {
    final Selector selector;
    private final Thread thread;
    /** Set once the selector has been woken for work queued since it last looked, so a burst wakes it once. */
    private final AtomicBoolean signalled = new AtomicBoolean();

    private volatile boolean running = true;

    /** Opens the selector; the thread, named {@code name}, runs once {@link #start} is called. */
    SelectorLoop(String name) throws IOException {
        selector = Selector.open();
        thread = new Thread(this::run, name);
        thread.setDaemon(true);
    }

    /** Starts the selector thread: the last thing a subclass's constructor does, once its own fields are set. */
    final void start() {
        thread.start();
    }

    /** The selector thread, before each select: the work queued since it last looked. */
    abstract void pending();

    /** The selector thread: {@code key}, with its {@code attachment}, is ready. */
    abstract void ready(SelectionKey key, A attachment);

    /**
     * The selector thread, stopping ({@code why}): {@code registered} are the attachments of the keys still
     * registered; what is queued and not yet registered is the subclass's to end too.
     */
    abstract void stopped(String why, List<A> registered);

    /** Stops the selector thread (see {@link #stopped}), waiting a few seconds at most. */
    @Override
    public void close() {
        running = false;
        selector.wakeup();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Wakes the selector thread for queued work, once however many queue it before it looks. */
    final void signal() {
        if (!signalled.get() && signalled.compareAndSet(false, true)) {
            selector.wakeup();
        }
    }

    @SuppressWarnings("unchecked") // only the subclass attaches, and only A
    private void run() {
        String stopped = "the load generator stopped";
        try {
            while (running) {
                signalled.set(false); // before the queues are read: work queued after this wakes the select below
                pending();
                selector.select();
                Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                while (keys.hasNext()) {
                    SelectionKey key = keys.next();
                    keys.remove();
                    ready(key, (A) key.attachment());
                }
            }
        } catch (IOException | RuntimeException e) {
            stopped = "the load generator's selector failed: " + e; // every client ends below, saying so
        } finally {
            try {
                List<A> registered = new ArrayList<>();
                for (SelectionKey key : selector.keys()) {
                    registered.add((A) key.attachment());
                }
                stopped(stopped, registered);
            } finally {
                try {
                    selector.close();
                } catch (IOException e) {
                    // nothing left to do with it
                }
            }
        }
    }
}
