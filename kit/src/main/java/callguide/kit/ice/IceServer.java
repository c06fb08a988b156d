package callguide.kit.ice;

import java.util.List;

/**
 * One entry of the guide's {@code iceServers}, in the browser's shape:
 * {@code { urls: 'stun:...', username, credential }}. Turn it into webrtc-java's
 * {@code RTCIceServer} with {@link IceServers#toRtc(IceServer)}, which validates it first.
 */
public record IceServer(List<String> urls, String username, String credential) {

    public static IceServer stun(String url) {
        return new IceServer(List.of(url), null, null);
    }

    public static IceServer turn(String url, String username, String credential) {
        return new IceServer(List.of(url), username, credential);
    }
}
