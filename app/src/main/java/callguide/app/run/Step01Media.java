package callguide.app.run;

import static callguide.app.run.StepRun.say;

import callguide.kit.media.Devices;
import callguide.kit.media.FrameCounter;
import callguide.kit.media.LocalMedia;
import callguide.kit.media.MediaConstraints;
import callguide.step01.UserMedia;
import dev.onvoid.webrtc.media.MediaStreamTrack;
import java.util.List;

/**
 * {@code ./workshop run 01 [--voice-only] [--without disabled-track]}: getUserMedia with the guide's
 * constraints, the tracks it gives, and the camera's frames counted for two seconds.
 */
public final class Step01Media {

    private Step01Media() {}

    public static void main(String[] args) {
        StepRun.main("step01", args, Step01Media::run);
    }

    /** Voice only done by leaving video out: what {@code --without disabled-track} runs. */
    static final StepRun.Idea DISABLED_TRACK = new StepRun.Idea(
            "disabled-track", "voice only asks getUserMedia for no video at all, instead of a disabled video track");

    private static void run(String[] args) throws Exception {
        boolean noVideoTrack = StepRun.without(args, DISABLED_TRACK).isPresent();
        boolean voiceOnly = noVideoTrack || List.of(args).contains("--voice-only");
        MediaConstraints constraints = noVideoTrack ? new MediaConstraints(true, null) : MediaConstraints.guide();
        say("getUserMedia(%s), voice only: %s", constraints, voiceOnly);
        try (LocalMedia media = UserMedia.getUserMedia(Devices.system(), constraints, voiceOnly)) {
            say("stream %s", media.stream().id());
            printTracks(media);
            if (media.camera() != null) {
                say(
                        "camera: %s, %dx%d at %d fps asked",
                        media.camera().camera(),
                        media.camera().width(),
                        media.camera().height(),
                        media.camera().frameRate());
            }
            if (voiceOnly) {
                say(
                        noVideoTrack
                                ? "voice only: no video track; switching video on, as the guide does mid-call"
                                : "voice only: the video track is there, disabled; enabling it, same stream, same "
                                        + "track");
                try {
                    UserMedia.setVideoEnabled(media, true);
                } catch (IllegalStateException noTrack) {
                    say("switching video on failed: %s", noTrack.getMessage());
                    say("video mid-call would now need a new track, a new stream and a new offer and answer");
                    return;
                }
                printTracks(media);
            }
            if (media.videoTrack() == null) {
                say("no video track: no camera frames to count");
                return;
            }
            FrameCounter counter = new FrameCounter();
            media.videoTrack().addSink(counter);
            long start = System.nanoTime();
            Thread.sleep(2000); // a program, not a test: watch the camera for two seconds
            double seconds = (System.nanoTime() - start) / 1e9;
            media.videoTrack().removeSink(counter);
            say(
                    "camera frames in %.1f s: %d, %.1f frames a second, %dx%d",
                    seconds, counter.frames(), counter.frames() / seconds, counter.width(), counter.height());
        }
    }

    private static void printTracks(LocalMedia media) {
        for (MediaStreamTrack track : media.stream().getTracks()) {
            say(
                    "track %-5s id=%s enabled=%s state=%s",
                    track.getKind(), track.getId(), track.isEnabled(), track.getState());
        }
    }
}
