package callguide.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A polling peer's {@link Mailbox} on its own: what a poll's answer carries when it is written, and that what it
 * keeps is given back to the relay's budget.
 */
@DisplayName("A polling peer's mailbox")
class MailboxTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final QueueBudget budget = new QueueBudget(1 << 20);
    private final Mailbox mailbox = new Mailbox("token", Caps.defaults(), budget);

    private static String message(long seq) {
        return "{\"type\":\"candidate\",\"seq\":" + seq + ",\"payload\":{}}";
    }

    @Test
    @DisplayName("accepts its own token only, where it is in a header too, and nothing longer, shorter or one off")
    void token() {
        assertThat(mailbox.accepts("token")).isTrue();
        assertThat(mailbox.accepts("Bearer token", 7, 12)).isTrue();
        assertThat(mailbox.accepts("Bearer tokens", 7, 13)).as("longer").isFalse();
        assertThat(mailbox.accepts("Bearer toke", 7, 11)).as("shorter").isFalse();
        assertThat(mailbox.accepts("Bearer tokem", 7, 12))
                .as("its last character off")
                .isFalse();
        assertThat(mailbox.accepts("Bearer Token", 7, 12)).as("another case").isFalse();
        assertThat(mailbox.accepts("Bearer to\u0100en", 7, 12))
                .as("a character beyond a byte")
                .isFalse();
        assertThat(mailbox.accepts(null)).isFalse();
    }

    @Test
    @DisplayName("a held poll woken by one message answers, when written, every message that arrived by then")
    void heldPollCarriesWhatArrivedSinceItWoke() {
        CompletableFuture<Supplier<String>> held = mailbox.poll(0, WAIT);
        assertThat(held).as("a poll with nothing to deliver").isNotDone();
        mailbox.put(1, message(1));
        assertThat(held).as("the poll, once a message arrived").isDone();
        mailbox.put(2, message(2)); // arrives before the woken poll's answer is written
        assertThat(held.join().get())
                .as("the woken poll's body, written after the second message arrived")
                .isEqualTo("{\"messages\":[" + message(1) + "," + message(2) + "]}");
        assertThat(mailbox.poll(2, Duration.ZERO).join().get())
                .as("the next poll, after both")
                .isEqualTo(Mailbox.NOTHING);
        assertThat(budget.used())
                .as("characters held once both were acknowledged")
                .isZero();
    }

    @Test
    @DisplayName("a poll answers every message above its after, and a newer poll answers the held one empty")
    void pollsAcknowledge() {
        mailbox.put(1, message(1));
        mailbox.put(2, message(2));
        assertThat(mailbox.poll(1, WAIT).join().get())
                .as("a poll after seq 1")
                .isEqualTo("{\"messages\":[" + message(2) + "]}");
        CompletableFuture<Supplier<String>> first = mailbox.poll(2, WAIT);
        CompletableFuture<Supplier<String>> second = mailbox.poll(2, WAIT);
        assertThat(first).as("the poll a newer one replaced").isDone();
        assertThat(first.join().get()).as("its body").isEqualTo(Mailbox.NOTHING);
        assertThat(second).as("the newer poll").isNotDone();
        assertThat(mailbox.holding()).as("a poll held").isTrue();
    }

    @Test
    @DisplayName("a peer that leaves gives its budget back at once, and a poll woken just before still gets its "
            + "messages")
    void closing() {
        CompletableFuture<Supplier<String>> held = mailbox.poll(0, WAIT);
        mailbox.put(1, message(1));
        assertThat(budget.used()).as("characters held for the message").isPositive();
        mailbox.close(Peer.CLOSED);
        assertThat(budget.used()).as("characters held once the peer left").isZero();
        assertThat(mailbox.keptChars()).as("characters the mailbox counts").isZero();
        assertThat(held.join().get())
                .as("the poll woken before the peer left, written after")
                .isEqualTo("{\"messages\":[" + message(1) + "]}");
        assertThat(mailbox.put(2, message(2)))
                .as("a message for a peer that left")
                .isFalse();
        mailbox.poll(1, Duration.ZERO);
        mailbox.close(Peer.CLOSED);
        assertThat(budget.used())
                .as("characters held after a late poll and a second close (nothing given back twice)")
                .isZero();
    }
}
