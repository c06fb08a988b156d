package callguide.tools.command;

import callguide.tools.Builds;
import callguide.tools.Context;
import callguide.tools.Workshop;
import callguide.tools.WorkshopException;
import java.util.List;
import java.util.Stack;
import java.util.concurrent.Callable;
import picocli.CommandLine.IParameterConsumer;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;

/** What the commands share: the context, the builds, and the usage error. */
abstract class WorkshopCommand implements Callable<Integer> {
    @ParentCommand
    private Workshop workshop;

    Context ctx() {
        return workshop.context();
    }

    Builds builds() {
        return new Builds(ctx());
    }

    /** Says, before it starts, what a command that takes more than a moment is about to do. */
    void doing(String what) {
        ctx().say("workshop: " + what + " ...");
    }

    static WorkshopException usage(String synopsis) {
        return new WorkshopException("usage: ./workshop " + synopsis);
    }

    /** Every argument from here on, exactly as given: for the options a command hands to a Java main. */
    static final class Rest implements IParameterConsumer {
        @Override
        public void consumeParameters(Stack<String> args, ArgSpec argSpec, CommandSpec commandSpec) {
            List<String> rest = argSpec.getValue();
            while (!args.isEmpty()) {
                rest.add(args.pop());
            }
        }
    }
}
