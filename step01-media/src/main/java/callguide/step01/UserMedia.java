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
        // TODO(step01): task 1. The browser picks a camera that meets facingMode, or refuses the
        //  whole request. Find out what a Camera tells you about itself, and how the kit says
        //  "this constraint cannot be met".
        throw Todo.task("step01", 1, "choose the camera that faces the way the constraints ask");
    }

    /** A stream with an audio track and a video track, as {@code constraints} ask. */
    public static LocalMedia getUserMedia(Devices devices, MediaConstraints constraints, boolean voiceOnly) {
        // TODO(step01): task 2. getUserMedia hands back a stream of live tracks made on opened
        //  devices. Find out how a device, its source and a track relate (README: what the kit
        //  gives you), what voice only must leave in place so video can come on later, and what
        //  must not stay open when a constraint cannot be met.
        throw Todo.task(
                "step01", 2, "build the local stream: an audio track, a video track, voice-only disables video");
    }

    /** Voice only on and off mid-call: the same track, switched. */
    public static void setVideoEnabled(LocalMedia media, boolean enabled) {
        // TODO(step01): task 3. The guide's videoTrack.enabled = true, mid-call: what changes,
        //  what stays the same, and what if there is no video track at all?
        throw Todo.task("step01", 3, "switch the video track on or off without a new stream");
    }
}
