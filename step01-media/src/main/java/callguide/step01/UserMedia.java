package callguide.step01;

import callguide.kit.Todo;
import callguide.kit.media.Camera;
import callguide.kit.media.Devices;
import callguide.kit.media.LocalMedia;
import callguide.kit.media.MediaConstraints;
import callguide.kit.media.MediaConstraints.FacingMode;

/** The guide's {@code mediaDevices.getUserMedia(mediaConstraints)} and its {@code isVoiceOnly} flag. */
public final class UserMedia {

    private UserMedia() {}

    /** {@code facingMode: 'user'}: the first camera that faces the asked way. */
    public static Camera chooseCamera(Devices devices, FacingMode facingMode) {
        // TODO(step01): task 1. Pick the first of devices.cameras() whose facing() is facingMode.
        //  None? Throw an OverconstrainedException naming the "facingMode" constraint.
        throw Todo.task("step01", 1, "choose the camera that faces the way the constraints ask");
    }

    /** A stream with an audio track and a video track, as {@code constraints} ask. */
    public static LocalMedia getUserMedia(Devices devices, MediaConstraints constraints, boolean voiceOnly) {
        // TODO(step01): task 2. Open the microphone and the chosen camera, build an audio and a video
        //  track on them with WebRtcRuntime.factory(), put both in a new Stream. Voice only: the
        //  video track is still there, but disabled. Return everything as a LocalMedia.
        throw Todo.task(
                "step01", 2, "build the local stream: an audio track, a video track, voice-only disables video");
    }

    /** Voice only on and off mid-call: the same track, switched. */
    public static void setVideoEnabled(LocalMedia media, boolean enabled) {
        // TODO(step01): task 3. Switch the existing video track; no new stream, no new track.
        //  A stream without a video track? Say so with an IllegalStateException.
        throw Todo.task("step01", 3, "switch the video track on or off without a new stream");
    }
}
