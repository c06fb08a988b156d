package callguide.kit.ice;

import callguide.kit.signal.CandidateMessage;
import dev.onvoid.webrtc.PortAllocatorConfig;
import dev.onvoid.webrtc.RTCConfiguration;
import dev.onvoid.webrtc.RTCIceCandidate;
import java.util.List;

/**
 * How a peer gathers and which local candidates it signals.
 *
 * <p>{@link #loopback(int)} keeps every packet on 127.0.0.1, on a machine with no network at
 * all: libwebrtc ignores the {@code lo} interface, so host candidates are useless here. Instead
 * adapter enumeration is switched off (sockets bind to the wildcard address, and no host
 * candidate is made for the default route's address), a STUN server on
 * 127.0.0.1 reflects each socket as a {@code srflx 127.0.0.1} candidate, and only candidates
 * whose address is 127.0.0.1 are signalled. {@link #open(List)} is an ordinary profile: the
 * ICE servers given, every candidate signalled.
 */
public record IceProfile(List<IceServer> iceServers, boolean loopbackOnly) {

    public static final String LOOPBACK_ADDRESS = "127.0.0.1";

    public static IceProfile loopback(int stunPort) {
        return new IceProfile(List.of(IceServer.stun("stun:" + LOOPBACK_ADDRESS + ":" + stunPort)), true);
    }

    public static IceProfile open(List<IceServer> iceServers) {
        return new IceProfile(List.copyOf(iceServers), false);
    }

    /** Sets what this profile needs on a configuration beyond its ICE servers. */
    public void applyTo(RTCConfiguration configuration) {
        if (loopbackOnly) {
            PortAllocatorConfig ports = configuration.portAllocatorConfig != null
                    ? configuration.portAllocatorConfig : new PortAllocatorConfig();
            ports.setDisableAdapterEnumeration(true);
            // Without this, libwebrtc still makes a host candidate on the default route's address.
            ports.setDisableDefaultLocalCandidate(true);
            configuration.portAllocatorConfig = ports;
        }
    }

    /** Whether a local candidate should be sent to the other peer. */
    public boolean shouldSignal(RTCIceCandidate candidate) {
        return shouldSignal(CandidateMessage.from(candidate));
    }

    public boolean shouldSignal(CandidateMessage candidate) {
        return !loopbackOnly || LOOPBACK_ADDRESS.equals(candidate.address());
    }
}
