package callguide.kit.ice;

import callguide.kit.signal.CandidateMessage;
import dev.onvoid.webrtc.PortAllocatorConfig;
import dev.onvoid.webrtc.RTCConfiguration;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCIceTransportPolicy;
import java.util.List;

/**
 * How a peer gathers and which local candidates it signals.
 *
 * <p>{@link #loopback(int)} keeps every packet on 127.0.0.1, on a machine with no network at
 * all: libwebrtc ignores the {@code lo} interface, so host candidates are useless here. Instead
 * adapter enumeration is switched off (sockets bind to the wildcard address, and no host
 * candidate is made for the default route's address), a STUN server on
 * 127.0.0.1 reflects each socket as a {@code srflx 127.0.0.1} candidate, and only candidates
 * whose address is 127.0.0.1 are signalled. {@link #open(List)} is an ordinary profile, as a
 * browser gathers: the ICE servers given, host, srflx and relay candidates, every one signalled.
 * {@link IceConfig#profile()} makes the one the relay's {@code GET /config} asks for.
 *
 * @param relayOnly the guide's {@code iceTransportPolicy: 'relay'}: only TURN relay candidates,
 *                  for networks where nothing direct gets through
 */
public record IceProfile(List<IceServer> iceServers, boolean loopbackOnly, boolean relayOnly) {

    public static final String LOOPBACK_ADDRESS = "127.0.0.1";

    public IceProfile {
        iceServers = List.copyOf(iceServers);
    }

    public IceProfile(List<IceServer> iceServers, boolean loopbackOnly) {
        this(iceServers, loopbackOnly, false);
    }

    public static IceProfile loopback(int stunPort) {
        return new IceProfile(List.of(IceServer.stun("stun:" + LOOPBACK_ADDRESS + ":" + stunPort)), true);
    }

    public static IceProfile open(List<IceServer> iceServers) {
        return new IceProfile(iceServers, false);
    }

    /** This profile with only relay candidates gathered ({@code iceTransportPolicy: 'relay'}). */
    public IceProfile withRelayOnly(boolean relayOnly) {
        return new IceProfile(iceServers, loopbackOnly, relayOnly);
    }

    /** Sets what this profile needs on a configuration beyond its ICE servers. */
    public void applyTo(RTCConfiguration configuration) {
        if (loopbackOnly) {
            PortAllocatorConfig ports = configuration.portAllocatorConfig != null
                    ? configuration.portAllocatorConfig
                    : new PortAllocatorConfig();
            ports.setDisableAdapterEnumeration(true);
            // Without this, libwebrtc still makes a host candidate on the default route's address.
            ports.setDisableDefaultLocalCandidate(true);
            configuration.portAllocatorConfig = ports;
        }
        if (relayOnly) {
            configuration.iceTransportPolicy = RTCIceTransportPolicy.RELAY;
        }
    }

    /** Whether a local candidate should be sent to the other peer. */
    public boolean shouldSignal(RTCIceCandidate candidate) {
        return shouldSignal(CandidateMessage.from(candidate));
    }

    public boolean shouldSignal(CandidateMessage candidate) {
        return !loopbackOnly || LOOPBACK_ADDRESS.equals(candidate.address());
    }

    /**
     * Why a remote candidate must not be handed to libwebrtc, or empty when it may be. The
     * loopback profile keeps every packet on 127.0.0.1, so it refuses a candidate whose address is
     * anything else (127.0.0.2 included: STUN checks would go there), a host name among them.
     * The check reads the address as text from the candidate line and compares it: it never looks a
     * name up (no resolver is ever called), so an address such as {@code 999.1.1.1} or
     * {@code attacker.example} costs no DNS query. The open profile accepts every candidate, as a
     * browser does; a host name there ({@code .local}, an mDNS name) is left to libwebrtc and its
     * own resolver, untested here since a look-up would leave 127.0.0.1: one more reason the
     * loopback profile refuses it before libwebrtc sees it.
     */
    public java.util.Optional<String> acceptsRemote(CandidateMessage candidate) {
        if (!loopbackOnly) {
            return java.util.Optional.empty();
        }
        String address = candidate == null ? null : candidate.address();
        if (address == null) {
            return java.util.Optional.of("a candidate without an address: " + candidate);
        }
        if (!LOOPBACK_ADDRESS.equals(address)) {
            return java.util.Optional.of("the loopback profile takes remote candidates on " + LOOPBACK_ADDRESS
                    + " only, not " + (address.length() > 64 ? address.substring(0, 61) + "..." : address));
        }
        return java.util.Optional.empty();
    }

    /** One line for a timeline or a log: {@code loopback, stun:127.0.0.1:3478} or {@code open, relay only, ...}. */
    public String describe() {
        StringBuilder s = new StringBuilder(loopbackOnly ? "loopback" : "open");
        if (relayOnly) {
            s.append(", relay only");
        }
        for (IceServer server : iceServers) {
            s.append(", ").append(String.join(" ", server.urls()));
        }
        return s.toString();
    }
}
