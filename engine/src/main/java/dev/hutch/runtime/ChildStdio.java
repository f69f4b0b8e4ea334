package dev.hutch.runtime;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * PLACEHOLDER (branch engine-service): the contract's signatures, so the CLI compiles and
 * in-process behaviour stays as it was. The real implementation (posix_spawn + dup2, and the
 * launchers using it) comes from branch engine-per-request; on a merge take that branch's file.
 */
public interface ChildStdio {
    Process startAttached(List<String> argv) throws IOException;

    Process startDetached(List<String> argv, Path stderrFile) throws IOException;

    static ChildStdio inherited() {
        return new ChildStdio() {
            public Process startAttached(List<String> argv) throws IOException {
                return new ProcessBuilder(argv).inheritIO().start();
            }

            public Process startDetached(List<String> argv, Path stderrFile) throws IOException {
                return new ProcessBuilder(argv).redirectInput(new File("/dev/null")).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .redirectError(stderrFile.toFile()).start();
            }
        };
    }

    static ChildStdio of(int stdinFd, int stdoutFd, int stderrFd, Map<String, String> env) {
        // placeholder: reopens the fds through /proc (a pipe, tty or file; not a socket)
        return new ChildStdio() {
            public Process startAttached(List<String> argv) throws IOException {
                ProcessBuilder pb = new ProcessBuilder(argv).redirectInput(fd(stdinFd))
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(fd(stdoutFd))).redirectError(ProcessBuilder.Redirect.appendTo(fd(stderrFd)));
                pb.environment().clear();
                pb.environment().putAll(env);
                return pb.start();
            }

            public Process startDetached(List<String> argv, Path stderrFile) throws IOException {
                ProcessBuilder pb = new ProcessBuilder(argv).redirectInput(new File("/dev/null"))
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(stderrFile.toFile());
                pb.environment().clear();
                pb.environment().putAll(env);
                return pb.start();
            }

            private File fd(int n) { return new File("/proc/self/fd/" + n); }
        };
    }
}
