package callguide.kit.ice;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;

/**
 * The loopback ICE recipe for one JVM: a STUN responder on UDP 127.0.0.1 (an ephemeral port),
 * started on first use and kept for the JVM's life, and the {@link IceProfile} that uses it.
 * Tests and benchmarks take their profile from here, so every packet stays on 127.0.0.1.
 */
public final class LoopbackNetwork {

    private LoopbackNetwork() {}

    private static final class Holder {
        static final StunResponder STUN;

        static {
            try {
                STUN = StunResponder.start(InetAddress.getByName(IceProfile.LOOPBACK_ADDRESS), 0);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start a STUN responder on 127.0.0.1", e);
            }
        }
    }

    public static int stunPort() {
        return Holder.STUN.port();
    }

    public static IceProfile profile() {
        return IceProfile.loopback(stunPort());
    }
}
