package callguide.kit.media;

/**
 * The guide's {@code mediaConstraints}:
 * <pre>{@code { audio: true, video: { frameRate: 30, facingMode: 'user' } } }</pre>
 * {@code video} is null when no video is asked for.
 */
public record MediaConstraints(boolean audio, VideoConstraints video) {

    /** {@code facingMode}: {@code 'user'} is the front camera, {@code 'environment'} the back one. */
    public enum FacingMode {
        USER,
        ENVIRONMENT
    }

    /** The video part. Width and height are what the synthetic camera draws; real cameras pick the nearest mode. */
    public record VideoConstraints(int frameRate, FacingMode facingMode, int width, int height) {
        public static final int DEFAULT_WIDTH = 320;
        public static final int DEFAULT_HEIGHT = 240;

        public VideoConstraints(int frameRate, FacingMode facingMode) {
            this(frameRate, facingMode, DEFAULT_WIDTH, DEFAULT_HEIGHT);
        }
    }

    /** Exactly the guide's constraints: audio, and video at 30 frames a second from the front camera. */
    public static MediaConstraints guide() {
        return new MediaConstraints(true, new VideoConstraints(30, FacingMode.USER));
    }
}
