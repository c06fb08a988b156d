package callguide.testkit;

import callguide.kit.ice.IceServer;
import dev.onvoid.webrtc.PortAllocatorConfig;
import dev.onvoid.webrtc.RTCConfiguration;
import dev.onvoid.webrtc.RTCIceServer;
import java.util.List;

/**
 * A peer connection's configuration for tests that grade something other than building it: the
 * loopback recipe written out by hand (the servers as given, adapter enumeration off), so every
 * packet stays on 127.0.0.1 whatever the learner's {@code PeerConnections.configuration} does.
 * The servers are the test's own, known good: nothing here validates them.
 */
public final class LoopbackConfiguration {

    private LoopbackConfiguration() {}

    public static RTCConfiguration create(List<IceServer> servers) {
        RTCConfiguration configuration = new RTCConfiguration();
        configuration.iceServers = servers.stream()
                .map(server -> {
                    RTCIceServer rtc = new RTCIceServer();
                    rtc.urls = List.copyOf(server.urls());
                    rtc.username = server.username();
                    rtc.password = server.credential();
                    return rtc;
                })
                .toList();
        configuration.portAllocatorConfig = new PortAllocatorConfig(
                0,
                0,
                PortAllocatorConfig.PORTALLOCATOR_DISABLE_ADAPTER_ENUMERATION
                        | PortAllocatorConfig.PORTALLOCATOR_DISABLE_DEFAULT_LOCAL_CANDIDATE);
        return configuration;
    }
}
