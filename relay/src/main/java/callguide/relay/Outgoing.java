package callguide.relay;

import java.util.ArrayList;
import java.util.List;

/**
 * Frames for WebSockets put off until the relay lets go of its locks. Jetty writes a frame to its socket on the thread
 * that sends it, when nothing else is being written on that connection: sent from under a room's lock, that write held
 * the lock, and the room's other peer, forwarding the other way, waited for it (bench relay --vs peerjs: most of the
 * relay's lock waits at 500 rooms). So the relay's entry points that tell peers anything ({@link Rooms#join}, {@link
 * Rooms#send}, {@link Rooms#leave}) run between {@link #begin} and {@link #end}: a {@link WebSocketLink} given a frame
 * meanwhile queues it and is written when the outermost of them ends, on the same thread, with no lock held. Outside
 * them a frame is written at once, as before. One of these a thread; not for sharing between threads.
 */
final class Outgoing {
    private static final ThreadLocal<Outgoing> THREAD = ThreadLocal.withInitial(Outgoing::new);

    /** How many {@link #begin}s without their {@link #end} this thread is in. */
    private int depth;
    /** Links given frames meanwhile (one may be here more than once: its second write finds nothing left). */
    private final List<WebSocketLink> touched = new ArrayList<>();

    private Outgoing() {}

    /** From here until the matching {@link #end}, this thread's frames wait (call {@code end} in a finally). */
    static Outgoing begin() {
        Outgoing outgoing = THREAD.get();
        outgoing.depth++;
        return outgoing;
    }

    /** The matching {@link #begin} is over: the outermost one writes what waited. */
    void end() {
        if (--depth > 0) {
            return;
        }
        // A write may not give this thread anything new to write (Jetty's callbacks only count bytes), but if one did,
        // it would be written at once: depth is 0 here.
        for (int i = 0; i < touched.size(); i++) {
            touched.get(i).write();
        }
        touched.clear();
    }

    /** {@code link} has a frame queued: true if this thread writes it later, false if it is to be written now. */
    static boolean later(WebSocketLink link) {
        Outgoing outgoing = THREAD.get();
        if (outgoing.depth == 0) {
            return false;
        }
        outgoing.touched.add(link);
        return true;
    }
}
