package dev.hutch.runtime;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** {@link ChildStdio#inherited()}: ProcessBuilder, this JVM's stdio and environment. */
final class InheritedStdio implements ChildStdio {
    static final InheritedStdio INSTANCE = new InheritedStdio();

    private InheritedStdio() {}

    @Override
    public Process startAttached(List<String> argv) throws IOException {
        return new ProcessBuilder(argv).inheritIO().start();
    }

    @Override
    public Process startDetached(List<String> argv, Path stderrFile) throws IOException {
        return new ProcessBuilder(argv)
                .redirectInput(new File("/dev/null"))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(stderrFile.toFile())
                .start();
    }

    @Override
    public String toString() { return "ChildStdio.inherited()"; }
}
