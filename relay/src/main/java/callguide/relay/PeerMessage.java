package callguide.relay;

/**
 * A message a peer sent that passed {@link Envelopes#read}: its {@code type}, its {@code to}
 * (null: the other peer) and its payload as the JSON text the peer wrote (null when absent). The
 * relay forwards the payload's text as it is, so it is checked once ({@link EnvelopeScanner}, or
 * the tree for what the scanner declines) and never written again.
 */
record PeerMessage(String type, String to, String payload) {}
