package dev.hutch.dsl.suite;

import dev.hutch.HutchException;
import dev.hutch.dsl.suite.TestOutcome.Status;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The outcomes as the JUnit XML report that Surefire writes and Jenkins, GitLab and GitHub
 * actions read: {@code <testsuites>} with one {@code <testsuite>} per script, one
 * {@code <testcase>} per test, {@code <failure>} for a check that did not hold, {@code <error>}
 * for anything else, times in seconds, and what the test printed in {@code <system-out>}.
 */
public final class JUnitXml {
    private JUnitXml() {}

    public static void write(Path file, List<TestOutcome> outcomes, Duration wall, Instant started) {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (OutputStream os = Files.newOutputStream(tmp)) {
            XMLStreamWriter x = XMLOutputFactory.newFactory().createXMLStreamWriter(os, "UTF-8");
            x.writeStartDocument("UTF-8", "1.0");
            x.writeCharacters("\n");
            x.writeStartElement("testsuites");
            x.writeAttribute("name", "hutch test");
            counts(x, outcomes);
            x.writeAttribute("time", seconds(wall));
            Map<String, List<TestOutcome>> byFile = new LinkedHashMap<>();
            for (TestOutcome o : outcomes) byFile.computeIfAbsent(o.file(), k -> new java.util.ArrayList<>()).add(o);
            for (Map.Entry<String, List<TestOutcome>> suite : byFile.entrySet()) {
                x.writeCharacters("\n  ");
                x.writeStartElement("testsuite");
                x.writeAttribute("name", suite.getKey());
                counts(x, suite.getValue());
                x.writeAttribute("skipped", "0");
                x.writeAttribute("time", seconds(suite.getValue().stream().map(TestOutcome::time).reduce(Duration.ZERO, Duration::plus)));
                x.writeAttribute("timestamp", started.truncatedTo(ChronoUnit.SECONDS).toString().replace("Z", ""));
                x.writeAttribute("hostname", hostname());
                for (TestOutcome o : suite.getValue()) testcase(x, o);
                x.writeCharacters("\n  ");
                x.writeEndElement();
            }
            x.writeCharacters("\n");
            x.writeEndElement();
            x.writeCharacters("\n");
            x.writeEndDocument();
            x.close();
        } catch (IOException | XMLStreamException e) {
            throw new HutchException("cannot write the JUnit report " + file + ": " + e.getMessage(), e);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new HutchException("cannot write the JUnit report " + file + ": " + e.getMessage(), e);
        }
    }

    private static void testcase(XMLStreamWriter x, TestOutcome o) throws XMLStreamException {
        x.writeCharacters("\n    ");
        x.writeStartElement("testcase");
        x.writeAttribute("name", o.name());
        x.writeAttribute("classname", className(o.file()));
        x.writeAttribute("time", seconds(o.time()));
        if (o.status() != Status.PASSED) {
            x.writeCharacters("\n      ");
            x.writeStartElement(o.status() == Status.FAILED ? "failure" : "error");
            String first = o.message().lines().findFirst().orElse("");
            x.writeAttribute("message", first);
            x.writeAttribute("type", o.status() == Status.FAILED ? "AssertionError" : "ScriptError");
            x.writeCharacters(o.message());
            x.writeEndElement();
        }
        if (!o.output().isEmpty()) {
            x.writeCharacters("\n      ");
            x.writeStartElement("system-out");
            x.writeCharacters(o.output());
            x.writeEndElement();
        }
        x.writeCharacters("\n    ");
        x.writeEndElement();
    }

    private static void counts(XMLStreamWriter x, List<TestOutcome> outcomes) throws XMLStreamException {
        x.writeAttribute("tests", String.valueOf(outcomes.size()));
        x.writeAttribute("failures", String.valueOf(outcomes.stream().filter(o -> o.status() == Status.FAILED).count()));
        x.writeAttribute("errors", String.valueOf(outcomes.stream().filter(o -> o.status() == Status.ERRORED).count()));
    }

    /** {@code tests/web.groovy} → {@code tests.web}: the dotted name CI servers group by. */
    static String className(String file) {
        String f = file.startsWith("./") ? file.substring(2) : file;
        if (f.endsWith(".groovy")) f = f.substring(0, f.length() - ".groovy".length());
        return f.replace('/', '.');
    }

    private static String seconds(Duration d) { return String.format(Locale.ROOT, "%.3f", d.toNanos() / 1e9); }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
