package callguide.kit.media;

import callguide.kit.media.MediaConstraints.FacingMode;
import callguide.kit.media.MediaConstraints.VideoConstraints;
import callguide.kit.rtc.WebRtcRuntime;
import dev.onvoid.webrtc.media.video.CustomVideoSource;
import dev.onvoid.webrtc.media.video.NativeI420Buffer;
import dev.onvoid.webrtc.media.video.VideoFrame;
import dev.onvoid.webrtc.media.video.VideoTrackSource;
import java.nio.ByteBuffer;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A camera for machines without one: an I420 test pattern (moving colour bars; the front camera's
 * bars are blue-ish, the back camera's red-ish) pushed into a {@link CustomVideoSource} at the
 * asked size and frame rate, from a thread of its own.
 */
public final class SyntheticCamera implements Camera {
    public static final int MAX_FRAME_RATE = 60;
    public static final int MAX_WIDTH = 1920;
    public static final int MAX_HEIGHT = 1080;

    private final String name;
    private final FacingMode facing;

    public SyntheticCamera(String name, FacingMode facing) {
        this.name = name;
        this.facing = facing;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public FacingMode facing() {
        return facing;
    }

    @Override
    public boolean synthetic() {
        return true;
    }

    @Override
    public CameraSource open(VideoConstraints constraints) {
        if (constraints.frameRate() < 1 || constraints.frameRate() > MAX_FRAME_RATE) {
            throw new OverconstrainedException(
                    "frameRate",
                    name + " captures 1 to " + MAX_FRAME_RATE + " frames a second, " + constraints.frameRate()
                            + " was asked");
        }
        if (constraints.width() < 16 || constraints.width() > MAX_WIDTH || constraints.width() % 2 != 0) {
            throw new OverconstrainedException(
                    "width",
                    name + " draws even widths from 16 to " + MAX_WIDTH + ", " + constraints.width() + " was asked");
        }
        if (constraints.height() < 16 || constraints.height() > MAX_HEIGHT || constraints.height() % 2 != 0) {
            throw new OverconstrainedException(
                    "height",
                    name + " draws even heights from 16 to " + MAX_HEIGHT + ", " + constraints.height() + " was asked");
        }
        return new Capture(constraints.width(), constraints.height(), constraints.frameRate());
    }

    @Override
    public String toString() {
        return name + " (synthetic, facing " + facing + ")";
    }

    private final class Capture implements CameraSource {
        private final CustomVideoSource source;
        private final ScheduledExecutorService clock;
        private final AtomicLong frameNumber = new AtomicLong();
        private final int width;
        private final int height;
        private final int frameRate;
        private volatile boolean closed;

        Capture(int width, int height, int frameRate) {
            WebRtcRuntime.factory(); // loads the native library a custom source needs, as the microphone does
            this.source = new CustomVideoSource();
            this.width = width;
            this.height = height;
            this.frameRate = frameRate;
            this.clock = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "synthetic-camera-" + name);
                t.setDaemon(true);
                return t;
            });
            long periodNanos = TimeUnit.SECONDS.toNanos(1) / frameRate;
            clock.scheduleAtFixedRate(this::pushFrame, 0, periodNanos, TimeUnit.NANOSECONDS);
        }

        private void pushFrame() {
            if (closed) {
                return;
            }
            NativeI420Buffer buffer = NativeI420Buffer.allocate(width, height);
            try {
                draw(buffer, frameNumber.getAndIncrement());
                VideoFrame frame = new VideoFrame(buffer, System.nanoTime());
                source.pushFrame(frame);
                frame.release();
            } catch (RuntimeException | Error e) {
                buffer.release();
                throw e;
            }
        }

        private void draw(NativeI420Buffer buffer, long n) {
            ByteBuffer y = buffer.getDataY();
            int strideY = buffer.getStrideY();
            int shift = (int) (n * 4 % width);
            for (int row = 0; row < height; row++) {
                for (int col = 0; col < width; col++) {
                    int bar = ((col + shift) * 8 / width) % 8;
                    y.put(row * strideY + col, (byte) (40 + bar * 25));
                }
            }
            // Chroma: the front camera blue-ish, the back one red-ish, so a screenshot tells them apart.
            fill(buffer.getDataU(), buffer.getStrideU(), (width + 1) / 2, (height + 1) / 2, (byte)
                    (facing == FacingMode.USER ? 180 : 90));
            fill(buffer.getDataV(), buffer.getStrideV(), (width + 1) / 2, (height + 1) / 2, (byte)
                    (facing == FacingMode.USER ? 100 : 190));
        }

        private void fill(ByteBuffer plane, int stride, int w, int h, byte value) {
            for (int row = 0; row < h; row++) {
                for (int col = 0; col < w; col++) {
                    plane.put(row * stride + col, value);
                }
            }
        }

        @Override
        public VideoTrackSource source() {
            return source;
        }

        @Override
        public Camera camera() {
            return SyntheticCamera.this;
        }

        @Override
        public int width() {
            return width;
        }

        @Override
        public int height() {
            return height;
        }

        @Override
        public int frameRate() {
            return frameRate;
        }

        /** Stops the clock; the source itself is disposed with its track. */
        @Override
        public void close() {
            closed = true;
            clock.shutdownNow();
            try {
                clock.awaitTermination(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
