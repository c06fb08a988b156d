package callguide.kit.media;

import dev.onvoid.webrtc.media.audio.AudioTrackSink;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An audio sink that counts callbacks (about 100 a second: 10 ms of 48 kHz each) and whether any
 * carried sound. Called on a native thread; safe to read from any thread.
 */
public final class AudioCounter implements AudioTrackSink {
    private final AtomicLong callbacks = new AtomicLong();
    private final AtomicLong loudCallbacks = new AtomicLong();

    @Override
    public void onData(byte[] data, int bitsPerSample, int sampleRate, int channels, int frames) {
        callbacks.incrementAndGet();
        if (bitsPerSample == 16 && peak(data) > 64) {
            loudCallbacks.incrementAndGet();
        }
    }

    private static int peak(byte[] pcm) {
        int peak = 0;
        for (int i = 0; i + 1 < pcm.length; i += 2) {
            int sample = (short) ((pcm[i] & 0xff) | (pcm[i + 1] << 8));
            peak = Math.max(peak, Math.abs(sample));
        }
        return peak;
    }

    public long callbacks() {
        return callbacks.get();
    }

    /** Callbacks whose samples were not silence. */
    public long loudCallbacks() {
        return loudCallbacks.get();
    }
}
