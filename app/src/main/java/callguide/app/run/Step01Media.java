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
 * {@code ./workshop run 01 [--voice-only]}: getUserMedia with the guide's constraints, the tracks
 * it gives, and the camera's frames counted for two seconds.
 */
public final class Step01Media {

    private Step01Media() {}

    public static void main(String[] args) {
        StepRun.main("step01", args, Step01Media::run);
    }

    private static void run(String[] args) throws Exception {
        boolean voiceOnly = List.of(args).contains("--voice-only");
        MediaConstraints constraints = MediaConstraints.guide();
        say("getUserMedia(%s), voice only: %s", constraints, voiceOnly);
        try (LocalMedia media = UserMedia.getUserMedia(Devices.system(), constraints, voiceOnly)) {
            say("stream %s", media.stream().id());
            printTracks(media);
            say(
                    "camera: %s, %dx%d at %d fps asked",
                    media.camera().camera(),
                    media.camera().width(),
                    media.camera().height(),
                    media.camera().frameRate());
            if (voiceOnly) {
                say("voice only: the video track is there, disabled; enabling it, same stream, same track");
                UserMedia.setVideoEnabled(media, true);
                printTracks(media);
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
