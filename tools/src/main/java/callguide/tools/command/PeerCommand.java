package callguide.tools.command;

import callguide.tools.Layout;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code ./workshop peer --relay URL ... [--mine]}: one Java peer, the reference steps (or, with --mine, the
 * learner's).
 */
@Command(name = "peer")
public final class PeerCommand extends WorkshopCommand {
    @Parameters(arity = "0..*", parameterConsumer = Rest.class)
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() {
        List<String> rest = new ArrayList<>(args);
        String flavour = rest.removeIf("--mine"::equals) ? Layout.MINE : Layout.SOLUTIONS_FLAVOUR;
        ctx().preflight();
        doing("one Java peer with " + (flavour.equals(Layout.MINE) ? "your steps" : "the reference steps")
                + ": the build, then the peer");
        builds().build(flavour);
        return builds().javaMain(Layout.CALL_MODULE, flavour, Layout.PEER_MAIN, List.of(), rest);
    }
}
