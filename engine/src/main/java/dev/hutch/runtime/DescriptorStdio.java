package dev.hutch.runtime;

import dev.hutch.sys.PosixSpawn;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@link ChildStdio#of}: children spawned with given descriptors as their stdio and a given
 * environment. JNA is loaded on the first spawn, never by the in-process CLI.
 */
final class DescriptorStdio implements ChildStdio {
    private final int in, out, err;
    private final Map<String, String> env;
    private final List<String> envp;

    DescriptorStdio(int in, int out, int err, Map<String, String> env) {
        if (in < 0 || out < 0 || err < 0)
            throw new IllegalArgumentException("descriptors must be >= 0: " + in + ", " + out + ", " + err);
        this.in = in;
        this.out = out;
        this.err = err;
        this.env = Map.copyOf(env);
        List<String> e = new ArrayList<>(env.size());
        for (Map.Entry<String, String> v : env.entrySet()) e.add(v.getKey() + "=" + v.getValue());
        this.envp = List.copyOf(e);
    }

    @Override
    public Process startAttached(List<String> argv) throws IOException {
        return spawn(argv, new int[] {in, out, err});
    }

    @Override
    public Process startDetached(List<String> argv, Path stderrFile) throws IOException {
        return detached(argv, stderrFile, false);
    }

    @Override
    public Process startHelperAttached(List<String> argv) throws IOException {
        return spawnHelper(argv, new int[] {in, out, err});
    }

    @Override
    public Process startHelperDetached(List<String> argv, Path stderrFile) throws IOException {
        return detached(argv, stderrFile, true);
    }

    private Process detached(List<String> argv, Path stderrFile, boolean helper) throws IOException {
        int devNull = PosixSpawn.open("/dev/null", PosixSpawn.O_RDWR, 0);
        try {
            int log = PosixSpawn.open(stderrFile.toString(), PosixSpawn.O_WRONLY | PosixSpawn.O_CREAT | PosixSpawn.O_TRUNC, 0644);
            try {
                return helper ? spawnHelper(argv, new int[] {devNull, devNull, log}) : spawn(argv, new int[] {devNull, devNull, log});
            } finally {
                PosixSpawn.close(log);
            }
        } finally {
            PosixSpawn.close(devNull);
        }
    }

    private Process spawn(List<String> argv, int[] stdio) throws IOException {
        if (argv.isEmpty()) throw new IndexOutOfBoundsException("no program to run");
        String program = resolve(argv.get(0));
        int pid = PosixSpawn.spawn(program, argv, envp, stdio);
        return new SpawnedProcess(pid);
    }

    /** The helper from its sealed copy, argv[0] kept; from its file if the copy cannot be exec'd. */
    private Process spawnHelper(List<String> argv, int[] stdio) throws IOException {
        if (argv.isEmpty()) throw new IndexOutOfBoundsException("no program to run");
        String file = resolve(argv.get(0)), sealed = SealedHelper.executableFor(file);
        if (!sealed.equals(file)) {
            try {
                return new SpawnedProcess(PosixSpawn.spawn(sealed, argv, envp, stdio));
            } catch (IOException e) {
                // e.g. vm.memfd_noexec=2 refuses to exec a memfd: the helper copies itself instead
            }
        }
        return new SpawnedProcess(PosixSpawn.spawn(file, argv, envp, stdio));
    }

    /** A bare name is looked up in the caller's PATH (posix_spawnp would use this JVM's). */
    private String resolve(String program) throws IOException {
        if (program.contains("/")) return program;
        String path = env.getOrDefault("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        for (String dir : path.split(":")) {
            File f = new File(dir.isEmpty() ? "." : dir, program);
            if (f.isFile() && f.canExecute()) return f.getPath();
        }
        throw new IOException("Cannot run program \"" + program + "\": error=2, No such file or directory (not in the caller's PATH)");
    }

    @Override
    public String toString() { return "ChildStdio.of(" + in + ", " + out + ", " + err + ", " + env.size() + " variables)"; }
}
