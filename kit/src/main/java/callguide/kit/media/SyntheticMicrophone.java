package callguide.kit.media;

import callguide.kit.rtc.WebRtcRuntime;
import dev.onvoid.webrtc.media.audio.AudioTrackSource;
import dev.onvoid.webrtc.media.audio.CustomAudioSource;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A microphone for machines without one: a 440 Hz tone, 16-bit 48 kHz mono, pushed into a
 * {@link CustomAudioSource} 10 ms (480 samples) at a time, as libwebrtc expects.
 */
public final class SyntheticMicrophone implements Microphone {
    private static final int SAMPLE_RATE = 48_000;
    private static final int SAMPLES_PER_PUSH = 480;
    private static final double TONE_HZ = 440;

    private final CustomAudioSource source;
    private final ScheduledExecutorService clock;
    private final Runnable onClose;
    private final AtomicBoolean closed = new AtomicBoolean();
    private long sampleIndex;

    public SyntheticMicrophone() {
        this(() -> {});
    }

    /** A microphone that runs {@code onClose} once, at its first {@link #close()}. */
    SyntheticMicrophone(Runnable onClose) {
        // A custom source is native: webrtc-java's library must be loaded first, and the factory's first use loads it
        // (naming libpulse0 when it cannot), so a microphone opened before anything asked for a factory works too.
        WebRtcRuntime.factory();
        this.source = new CustomAudioSource();
        this.onClose = onClose;
        clock = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "synthetic-microphone");
            t.setDaemon(true);
            return t;
        });
        clock.scheduleAtFixedRate(this::push, 0, 10, TimeUnit.MILLISECONDS);
    }

    private void push() {
        byte[] pcm = new byte[SAMPLES_PER_PUSH * 2];
        for (int i = 0; i < SAMPLES_PER_PUSH; i++, sampleIndex++) {
            short sample = (short) (Math.sin(2 * Math.PI * TONE_HZ * sampleIndex / SAMPLE_RATE) * 8000);
            pcm[2 * i] = (byte) sample;
            pcm[2 * i + 1] = (byte) (sample >> 8);
        }
        source.pushAudio(pcm, 16, SAMPLE_RATE, 1, SAMPLES_PER_PUSH);
    }

    @Override
    public String name() {
        return "synthetic microphone (440 Hz tone)";
    }

    @Override
    public AudioTrackSource source() {
        return source;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        onClose.run();
        clock.shutdownNow();
        try {
            clock.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
