package callguide.tools;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * The steps of the workshop: the parent pom's {@code <modules>} named {@code stepNN-...}, in the
 * build's order. This is the one list of them; adding a step is adding its module.
 */
public final class Steps {
    private static final Pattern MODULE = Pattern.compile(Layout.STEP_MODULE);
    private static final Pattern ARG = Pattern.compile("(\\d)|(\\d\\d)|step(\\d\\d)(-.*)?");

    private final List<Step> all;

    public Steps(List<Step> all) {
        if (all.isEmpty()) {
            throw new WorkshopException("the build has no step modules (step01-... in the parent pom's <modules>)");
        }
        this.all = List.copyOf(all);
    }

    /** The step modules of a parent pom. */
    public static Steps fromPom(Path pom) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setNamespaceAware(true);
            Element project = factory.newDocumentBuilder().parse(pom.toFile()).getDocumentElement();
            List<Step> steps = new ArrayList<>();
            for (Node modules = project.getFirstChild(); modules != null; modules = modules.getNextSibling()) {
                if (modules instanceof Element e && "modules".equals(e.getLocalName())) {
                    NodeList names = e.getElementsByTagNameNS("*", "module");
                    for (int i = 0; i < names.getLength(); i++) {
                        String name = names.item(i).getTextContent().strip();
                        Matcher m = MODULE.matcher(name);
                        if (m.matches()) {
                            steps.add(new Step(name, Integer.parseInt(m.group(1))));
                        }
                    }
                }
            }
            return new Steps(steps);
        } catch (IOException | SAXException | ParserConfigurationException e) {
            throw new WorkshopException("cannot read the steps from " + pom + ": " + e.getMessage());
        }
    }

    public List<Step> all() {
        return all;
    }

    public Optional<Step> numbered(int number) {
        return all.stream().filter(s -> s.number() == number).findFirst();
    }

    /** A step written {@code 4}, {@code 04}, {@code step04} or {@code step04-offer-answer}. */
    public Step parse(String arg) {
        Matcher m = ARG.matcher(arg == null ? "" : arg);
        if (m.matches()) {
            String digits = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
            Optional<Step> step = numbered(Integer.parseInt(digits));
            if (step.isPresent() && !(m.group(1) != null && digits.equals("0"))) {
                if (m.group(4) != null && !arg.equals(step.get().module())) {
                    throw new WorkshopException(
                            "no step '" + arg + "': did you mean " + step.get().module() + "?");
                }
                return step.get();
            }
        }
        Step example = all.get(Math.min(3, all.size() - 1));
        throw new WorkshopException("no step '" + arg + "': write " + example.number() + ", " + example.no() + ", step"
                + example.no() + " or " + example.module() + " (steps "
                + all.get(0).no() + " to " + all.get(all.size() - 1).no() + ")");
    }

    /** How many steps, in words where the usage says it: "five". */
    public String countInWords() {
        String[] words = {
            "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"
        };
        return all.size() < words.length ? words[all.size()] : String.valueOf(all.size());
    }
}
