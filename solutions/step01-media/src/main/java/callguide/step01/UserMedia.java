package callguide.step01;

import callguide.kit.media.Camera;
import callguide.kit.media.CameraSource;
import callguide.kit.media.Devices;
import callguide.kit.media.LocalMedia;
import callguide.kit.media.MediaConstraints;
import callguide.kit.media.MediaConstraints.FacingMode;
import callguide.kit.media.Microphone;
import callguide.kit.media.OverconstrainedException;
import callguide.kit.media.Stream;
import callguide.kit.rtc.WebRtcRuntime;
import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.media.audio.AudioTrack;
import dev.onvoid.webrtc.media.video.VideoTrack;

/** The guide's {@code mediaDevices.getUserMedia(mediaConstraints)} and its {@code isVoiceOnly} flag. */
public final class UserMedia {

    private UserMedia() {}

    /** {@code facingMode: 'user'}: the first camera that faces the asked way. */
    public static Camera chooseCamera(Devices devices, FacingMode facingMode) {
        // Task 1. The browser fails getUserMedia with an OverconstrainedError naming the constraint;
        // so do we, rather than quietly handing back the wrong camera.
        return devices.cameras().stream()
                .filter(camera -> camera.facing() == facingMode)
                .findFirst()
                .orElseThrow(() -> new OverconstrainedException(
                        "facingMode", "no camera faces " + facingMode + " among " + devices.cameras()));
    }

    /** A stream with an audio track and a video track, as {@code constraints} ask. */
    public static LocalMedia getUserMedia(Devices devices, MediaConstraints constraints, boolean voiceOnly) {
        // Task 2. A track is a view on a source: sources capture, tracks are what a peer sends.
        PeerConnectionFactory factory = WebRtcRuntime.factory();
        Stream stream = new Stream();
        Microphone microphone = null;
        CameraSource camera = null;
        AudioTrack audio = null;
        VideoTrack video = null;
        try {
            if (constraints.audio()) {
                microphone = devices.openMicrophone();
                audio = factory.createAudioTrack("audio-" + stream.id(), microphone.source());
                stream.addTrack(audio);
            }
            if (constraints.video() != null) {
                camera = chooseCamera(devices, constraints.video().facingMode()).open(constraints.video());
                video = factory.createVideoTrack("video-" + stream.id(), camera.source());
                stream.addTrack(video);
                // Voice only still creates the video track, disabled: enabling it later needs no new
                // stream, no new track and no renegotiation.
                video.setEnabled(!voiceOnly);
            }
        } catch (RuntimeException e) {
            // A constraint that cannot be met must not leave a microphone capturing.
            new LocalMedia(stream, audio, video, microphone, camera).close();
            throw e;
        }
        return new LocalMedia(stream, audio, video, microphone, camera);
    }

    /** Voice only on and off mid-call: the same track, switched. */
    public static void setVideoEnabled(LocalMedia media, boolean enabled) {
        // Task 3. A disabled video track sends no frames at all; the call and the stream stay as they are.
        if (media.videoTrack() == null) {
            throw new IllegalStateException("this stream has no video track: getUserMedia was called without video");
        }
        media.videoTrack().setEnabled(enabled);
    }
}
