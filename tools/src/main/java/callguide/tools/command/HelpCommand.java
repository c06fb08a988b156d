package callguide.tools.command;

import callguide.tools.Workshop;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code ./workshop help}: the usage, on standard output. */
@Command(name = "help")
public final class HelpCommand extends WorkshopCommand {
    @Parameters(arity = "0..*", parameterConsumer = Rest.class, hidden = true)
    List<String> ignored = new ArrayList<>();

    @Override
    public Integer call() {
        ctx().out().print(Workshop.usage(ctx()));
        ctx().out().flush();
        return 0;
    }
}
