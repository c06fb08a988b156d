package callguide.relay;

/**
 * A WebSocket peer's outbox that takes everything and keeps only the last message (so what is written for it is
 * never work a compiler could leave out): the relay's own cost alone, for tests and benchmarks of the path.
 */
class DiscardingOutbox implements Outbox {
    /** The last message put; read by nobody. */
    volatile String last;

    @Override
    public boolean put(long seq, String json) {
        last = json;
        return true;
    }

    @Override
    public void close(String reason) {}

    @Override
    public String transport() {
        return "websocket";
    }
}
