package callguide.step01;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import callguide.kit.media.Devices;
import callguide.kit.media.FrameCounter;
import callguide.kit.media.LocalMedia;
import callguide.kit.media.MediaConstraints;
import callguide.kit.media.MediaConstraints.FacingMode;
import callguide.kit.media.MediaConstraints.VideoConstraints;
import callguide.kit.media.OverconstrainedException;
import callguide.kit.media.Stream;
import callguide.kit.media.SyntheticCamera;
import callguide.kit.rtc.WebRtcRuntime;
import dev.onvoid.webrtc.media.MediaStreamTrack;
import dev.onvoid.webrtc.media.MediaStreamTrackState;
import dev.onvoid.webrtc.media.video.CustomVideoSource;
import dev.onvoid.webrtc.media.video.VideoTrack;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@DisplayName("step01 getUserMedia")
class UserMediaTest {
    /** The back camera is listed first: taking the first camera is not enough. */
    static final Devices BACK_THEN_FRONT = Devices.of(List.of(
            new SyntheticCamera("back camera", FacingMode.ENVIRONMENT),
            new SyntheticCamera("front camera", FacingMode.USER)));

    private final List<LocalMedia> opened = new ArrayList<>();

    private LocalMedia open(MediaConstraints constraints, boolean voiceOnly) {
        LocalMedia media = UserMedia.getUserMedia(BACK_THEN_FRONT, constraints, voiceOnly);
        assertThat(media)
                .as("getUserMedia must return the LocalMedia it built, not null")
                .isNotNull();
        opened.add(media);
        return media;
    }

    @AfterEach
    void closeMedia() {
        opened.forEach(LocalMedia::close);
    }

    @Nested
    @Tag("task:1")
    @DisplayName("task 1: choosing the camera")
    class ChoosingTheCamera {

        @Test
        @DisplayName("facingMode 'user' chooses the front camera, even when a back camera is listed first")
        void userChoosesFront() {
            assertThat(UserMedia.chooseCamera(BACK_THEN_FRONT, FacingMode.USER).facing())
                    .as("chooseCamera(devices, USER) among [back, front]")
                    .isEqualTo(FacingMode.USER);
        }

        @Test
        @DisplayName("facingMode 'environment' chooses the back camera")
        void environmentChoosesBack() {
            assertThat(UserMedia.chooseCamera(BACK_THEN_FRONT, FacingMode.ENVIRONMENT)
                            .name())
                    .as("chooseCamera(devices, ENVIRONMENT) among [back, front]")
                    .isEqualTo("back camera");
        }

        @Test
        @DisplayName("a facingMode no camera has is refused with an error naming facingMode")
        void missingFacingIsOverconstrained() {
            Devices frontOnly = Devices.of(List.of(new SyntheticCamera("front camera", FacingMode.USER)));
            assertThat(catchThrowable(() -> UserMedia.chooseCamera(frontOnly, FacingMode.ENVIRONMENT)))
                    .as("no camera faces ENVIRONMENT: the browser's OverconstrainedError, not another camera")
                    .isInstanceOf(OverconstrainedException.class)
                    .hasMessageContaining("facingMode");
        }
    }

    @Nested
    @Tag("task:2")
    @DisplayName("task 2: the local stream")
    class TheLocalStream {

        @Test
        @DisplayName("the guide's constraints give one audio and one video track, both live and enabled")
        void oneAudioOneVideo() {
            LocalMedia media = open(MediaConstraints.guide(), false);

            assertThat(media.stream().getAudioTracks())
                    .as("audio tracks in the stream")
                    .hasSize(1);
            assertThat(media.stream().getVideoTracks())
                    .as("video tracks in the stream")
                    .hasSize(1);
            assertThat(media.audioTrack())
                    .as("LocalMedia.audioTrack() is the stream's audio track")
                    .isSameAs(media.stream().getAudioTracks().get(0));
            assertThat(media.videoTrack())
                    .as("LocalMedia.videoTrack() is the stream's video track")
                    .isSameAs(media.stream().getVideoTracks().get(0));
            for (MediaStreamTrack track : media.stream().getTracks()) {
                assertThat(track.getState())
                        .as("%s track state", track.getKind())
                        .isEqualTo(MediaStreamTrackState.LIVE);
                assertThat(track.isEnabled())
                        .as("%s track enabled", track.getKind())
                        .isTrue();
            }
        }

        @Test
        @DisplayName("the video comes from the front camera at the asked size and about 30 frames a second")
        void frontCameraAtThirtyFps() {
            LocalMedia media =
                    open(new MediaConstraints(true, new VideoConstraints(30, FacingMode.USER, 320, 240)), false);
            assertThat(media.camera())
                    .as("LocalMedia.camera(): the camera source behind the video track")
                    .isNotNull();
            assertThat(media.camera().camera().facing())
                    .as("the camera that captures")
                    .isEqualTo(FacingMode.USER);

            FrameCounter counter = new FrameCounter();
            media.videoTrack().addSink(counter);
            await("a first frame from the local video track")
                    .atMost(Duration.ofSeconds(3))
                    .until(() -> counter.frames() > 0);
            long startFrames = counter.frames();
            long start = System.nanoTime();
            await("30 more frames").atMost(Duration.ofSeconds(5)).until(() -> counter.frames() >= startFrames + 30);
            double seconds = (System.nanoTime() - start) / 1e9;
            double fps = (counter.frames() - startFrames) / seconds;
            media.videoTrack().removeSink(counter);

            assertThat(counter.width()).as("frame width").isEqualTo(320);
            assertThat(counter.height()).as("frame height").isEqualTo(240);
            assertThat(fps)
                    .as("frames a second measured on the local track (asked: 30)")
                    .isBetween(20.0, 45.0);
        }

        @Test
        @DisplayName("voice only gives a video track that is there, but disabled")
        void voiceOnlyDisablesVideo() {
            LocalMedia media = open(MediaConstraints.guide(), true);

            assertThat(media.stream().getVideoTracks())
                    .as("voice only still has the video track, to enable later")
                    .hasSize(1);
            assertThat(media.videoTrack().isEnabled())
                    .as("voice only: video track enabled")
                    .isFalse();
            assertThat(media.audioTrack().isEnabled())
                    .as("voice only: audio track enabled")
                    .isTrue();
        }

        @Test
        @DisplayName("no video asked for gives just an audio track")
        void audioOnly() {
            LocalMedia media = open(new MediaConstraints(true, null), false);

            assertThat(media.stream().getTracks())
                    .as("tracks of { audio: true }")
                    .hasSize(1);
            assertThat(media.stream().getAudioTracks())
                    .as("audio tracks of { audio: true }")
                    .hasSize(1);
        }

        @Test
        @DisplayName("a frame rate no camera can deliver is refused with an error naming frameRate")
        void impossibleFrameRate() {
            MediaConstraints tooFast = new MediaConstraints(true, new VideoConstraints(1000, FacingMode.USER));
            assertThat(catchThrowable(() -> open(tooFast, false)))
                    .as("frameRate 1000: the camera refuses it; getUserMedia must pass that on")
                    .isInstanceOf(OverconstrainedException.class)
                    .hasMessageContaining("frameRate");
        }

        @Test
        @DisplayName("a constraint that cannot be met leaves nothing capturing: the microphone opened before is closed")
        void refusedLeavesNothingCapturing() {
            Devices devices = Devices.of(BACK_THEN_FRONT.cameras()); // its own count of microphones capturing
            MediaConstraints tooFast = new MediaConstraints(true, new VideoConstraints(1000, FacingMode.USER));
            assertThat(catchThrowable(() -> UserMedia.getUserMedia(devices, tooFast, false)))
                    .as("frameRate 1000: the camera refuses it; getUserMedia must pass that on")
                    .isInstanceOf(OverconstrainedException.class);
            assertThat(devices.microphonesCapturing())
                    .as("microphones still capturing after getUserMedia refused { audio: true, frameRate: 1000 } "
                            + "(a browser shows none: close what was opened before the constraint failed)")
                    .isZero();

            Devices backOnly = Devices.of(List.of(new SyntheticCamera("back camera", FacingMode.ENVIRONMENT)));
            assertThat(catchThrowable(() -> UserMedia.getUserMedia(backOnly, MediaConstraints.guide(), false)))
                    .as("facingMode 'user' with only a back camera: refused")
                    .isInstanceOf(OverconstrainedException.class);
            assertThat(backOnly.microphonesCapturing())
                    .as("microphones still capturing after getUserMedia refused facingMode 'user' (no front camera)")
                    .isZero();
        }
    }

    /**
     * A stream holding one video track, made here on a bare source (no device, no constraints), so that task 3 is
     * graded on its own, without task 2's getUserMedia.
     */
    private LocalMedia videoOnly(boolean enabled) {
        VideoTrack video = WebRtcRuntime.factory().createVideoTrack("test-video", new CustomVideoSource());
        video.setEnabled(enabled);
        Stream stream = new Stream();
        stream.addTrack(video);
        LocalMedia media = new LocalMedia(stream, null, video, null, null);
        opened.add(media);
        return media;
    }

    /** {@code setVideoEnabled(media, true)} on a stream whose video is off: the same track, in the same stream, on. */
    private static void switchesOnTheSameTrack(LocalMedia media) {
        var stream = media.stream();
        var track = media.videoTrack();

        UserMedia.setVideoEnabled(media, true);

        assertThat(media.stream()).as("the stream after enabling video").isSameAs(stream);
        assertThat(media.stream().getVideoTracks())
                .as("video tracks after enabling")
                .containsExactly(track);
        assertThat(track.isEnabled())
                .as("video track enabled after setVideoEnabled(true)")
                .isTrue();
    }

    @Nested
    @Tag("task:3")
    @DisplayName("task 3: voice only, switched mid-call")
    class SwitchingVideo {

        @Test
        @DisplayName("enabling video later switches on the same track in the same stream")
        void enableLater() {
            switchesOnTheSameTrack(videoOnly(false));
        }

        @Test
        @DisplayName("disabling video mid-call keeps the track, live, in the stream")
        void disableMidCall() {
            LocalMedia media = videoOnly(true);
            var track = media.videoTrack();

            UserMedia.setVideoEnabled(media, false);

            assertThat(track.isEnabled())
                    .as("video track enabled after setVideoEnabled(false)")
                    .isFalse();
            assertThat(track.getState()).as("a disabled track is still live").isEqualTo(MediaStreamTrackState.LIVE);
            assertThat(media.stream().getVideoTracks())
                    .as("video tracks after disabling")
                    .containsExactly(track);
        }

        @Test
        @DisplayName("on a stream without video it says so with an IllegalStateException, never a silent no-op")
        void noVideoTrack() {
            // What getUserMedia gives when the constraints ask for no video: a stream with no video track.
            LocalMedia audioOnly = new LocalMedia(new Stream(), null, null, null, null);

            assertThat(catchThrowable(() -> UserMedia.setVideoEnabled(audioOnly, true)))
                    .as("setVideoEnabled(media, true) on a stream without a video track: switching on video that is "
                            + "not there must fail, naming the problem, rather than do nothing")
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("video");
            assertThat(audioOnly.stream().getVideoTracks())
                    .as("video tracks after the refusal: none made up")
                    .isEmpty();
        }
    }

    @Nested
    @Tag("task:step") // task 3's switch on the stream of task 2's getUserMedia: the whole step's row
    @DisplayName("the whole step: voice only, then video")
    class VoiceOnlyThenVideo {

        @Test
        @DisplayName("voice only from getUserMedia, switched on later: the same track in the same stream, enabled")
        void voiceOnlyThenVideo() {
            LocalMedia media = open(MediaConstraints.guide(), true);
            // The row says "voice only, then video": a video track that was on from the start would pass the switch.
            assertThat(media.videoTrack())
                    .as("voice only: the video track getUserMedia made, before it is switched on")
                    .isNotNull();
            assertThat(media.videoTrack().isEnabled())
                    .as("voice only: the video track enabled before setVideoEnabled(true)")
                    .isFalse();
            switchesOnTheSameTrack(media);
        }
    }
}
