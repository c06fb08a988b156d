package callguide.kit.rtc;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One peer's own thread, like a browser page's single JavaScript thread: every listener, every
 * relay message and every description callback of that peer runs here, one at a time, in order.
 *
 * <p>Why: webrtc-java calls observers on a native signalling thread shared by every connection,
 * and relay messages arrive on HTTP client threads. With all of a peer's code on one thread,
 * "is the remote description set yet?" and "queue this candidate" cannot interleave, and
 * blocking one peer's code never stalls another peer's callbacks.
 *
 * <p>A task that throws does not kill the loop: the error is kept in {@link #failures()} and
 * passed to the failure listeners, so a test can fail on its own thread with it.
 */
public final class EventLoop implements Executor, AutoCloseable {

    private final String name;
    private final ExecutorService executor;
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();
    private final List<Consumer<Throwable>> failureListeners = new CopyOnWriteArrayList<>();
    private volatile Thread thread;

    public EventLoop(String name) {
        this.name = name;
        this.executor = Executors.newSingleThreadExecutor(runnable -> {
            Thread t = new Thread(runnable, "peer-" + name);
            t.setDaemon(true);
            thread = t;
            return t;
        });
    }

    public String name() {
        return name;
    }

    @Override
    public void execute(Runnable task) {
        if (executor.isShutdown()) {
            return; // the peer is gone: late native callbacks are dropped, not errors
        }
        try {
            executor.execute(() -> {
                try {
                    task.run();
                } catch (Throwable t) {
                    fail(t);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException closedMeanwhile) {
            // closed between the check and the call: same as above
        }
    }

    /** Runs {@code task} on the loop and gives its result, or its exception, as a future. */
    public <T> CompletableFuture<T> submit(Callable<T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        execute(() -> {
            try {
                result.complete(task.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return result;
    }

    /** Runs {@code task} on the loop; the future completes when it ran. */
    public CompletableFuture<Void> run(Runnable task) {
        return submit(() -> {
            task.run();
            return null;
        });
    }

    /**
     * {@code target} with every callback moved onto this loop. Pass this to
     * {@code createPeerConnection}: the listeners then run on the peer's own thread.
     */
    public dev.onvoid.webrtc.PeerConnectionObserver observer(dev.onvoid.webrtc.PeerConnectionObserver target) {
        return new OnLoopObserver(this, target);
    }

    public boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /** Records an error raised by this peer's code, as if a task had thrown it. */
    public void fail(Throwable error) {
        failures.add(error);
        failureListeners.forEach(listener -> listener.accept(error));
    }

    public void onFailure(Consumer<Throwable> listener) {
        failureListeners.add(listener);
    }

    public List<Throwable> failures() {
        return List.copyOf(failures);
    }

    /**
     * Throws the first error raised on this loop, if any, with its message up front: a test
     * calls this while it waits, so an exception in a listener fails the test on the test's
     * own thread at once, rather than as a timeout later.
     */
    public void rethrowFailure() {
        if (!failures.isEmpty()) {
            Throwable first = failures.get(0);
            throw new IllegalStateException("on " + name + "'s loop: " + first, first);
        }
    }

    /** Lets the tasks already queued finish (bounded), then stops the thread. */
    @Override
    public void close() {
        executor.shutdown();
        if (inLoop()) {
            return; // a task closing its own loop: the queue drains after it returns
        }
        try {
            if (!executor.awaitTermination(2, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
