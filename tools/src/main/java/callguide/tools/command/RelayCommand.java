package callguide.tools.command;

import callguide.tools.Layout;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code ./workshop relay [...]}: the relay alone, for a room of learners; its options are the relay's own. */
@Command(name = "relay")
public final class RelayCommand extends WorkshopCommand {
    @Parameters(arity = "0..*", parameterConsumer = Rest.class)
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() {
        ctx().preflight();
        doing("the relay: the build, then the relay (it says where it listens)");
        builds().build(Layout.SOLUTIONS_FLAVOUR);
        return builds().javaMain(
                        Layout.CALL_MODULE, Layout.SOLUTIONS_FLAVOUR, Layout.RELAY_MAIN, Layout.RELAY_JVM, args);
    }
}
