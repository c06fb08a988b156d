package callguide.tools.command;

import callguide.tools.Layout;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code ./workshop call [--json]}: the demo's call with the learner's own steps; with
 * {@code --relay URL ...}, one side of a call with them against a relay on any machine.
 */
@Command(name = "call")
public final class CallCommand extends WorkshopCommand {
    @Parameters(arity = "0..*", parameterConsumer = Rest.class)
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() {
        boolean oneSide = args.stream().anyMatch(a -> a.equals("--relay") || a.startsWith("--relay="));
        ctx().preflight();
        doing(
                oneSide
                        ? "one side of a call with your own steps: the build, then a peer against the relay you named"
                        : "a call with your own steps: the build, then a relay here and a caller and a callee, each "
                                + "a JVM of its own (the call itself a few seconds)");
        builds().build(Layout.MINE);
        return builds().javaMain(
                        Layout.CALL_MODULE,
                        Layout.MINE,
                        oneSide ? Layout.PEER_MAIN : Layout.DEMO_MAIN,
                        List.of(),
                        args);
    }
}
