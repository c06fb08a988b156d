package callguide.app;

import callguide.call.CallPeer;
import callguide.kit.rtc.Stats;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * A call kept up for a while to watch how it does, as the browser's stats say it: every second,
 * each side's video frames received in that second, then {@link Stats.Quality} (round-trip time,
 * packets lost, frames per second, jitter). What a learner looks at under a link's settings.
 */
public final class QualityWatch {

    private QualityWatch() {}

    /**
     * Every second for {@code span}, or until {@code stop} completes: {@code line} gets each of {@code peers} and its
     * line ({@code 31 frames; round trip 2 ms, ...}).
     */
    public static void watch(
            Duration span, CompletableFuture<?> stop, BiConsumer<CallPeer, String> line, CallPeer... peers)
            throws Exception {
        long[] frames = new long[peers.length];
        for (int i = 0; i < peers.length; i++) {
            frames[i] = peers[i].remoteVideo().frames();
        }
        for (long second = 1; second <= span.toSeconds() && !stop.isDone(); second++) {
            CompletableFuture.anyOf(
                            stop,
                            CompletableFuture.runAsync(
                                    () -> {}, CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS)))
                    .get(5, TimeUnit.SECONDS);
            if (stop.isDone()) {
                return; // the call ended: its connection is closed, and stats of a closed one fail
            }
            for (int i = 0; i < peers.length; i++) {
                long now = peers[i].remoteVideo().frames();
                String quality;
                try {
                    quality = Stats.quality(
                                    Stats.report(peers[i].peerConnection()).get(5, TimeUnit.SECONDS))
                            .toString();
                } catch (Exception e) {
                    quality = "stats unavailable: " + e.getMessage();
                }
                line.accept(peers[i], String.format(java.util.Locale.ROOT, "%3d frames; %s", now - frames[i], quality));
                frames[i] = now;
            }
        }
    }
}
