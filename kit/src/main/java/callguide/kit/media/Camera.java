package callguide.kit.media;

import callguide.kit.media.MediaConstraints.FacingMode;
import callguide.kit.media.MediaConstraints.VideoConstraints;

/** A camera the machine offers, real or synthetic: what {@code enumerateDevices} would list. */
public interface Camera {

    String name();

    /** Which way it faces: {@code USER} (front) or {@code ENVIRONMENT} (back). */
    FacingMode facing();

    boolean synthetic();

    /**
     * Starts capturing at the asked frame rate and size (a real camera takes its nearest mode).
     * Throws an {@link OverconstrainedException} naming the constraint no mode can meet.
     */
    CameraSource open(VideoConstraints constraints);
}
