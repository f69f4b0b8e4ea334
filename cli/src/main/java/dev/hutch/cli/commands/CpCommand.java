package dev.hutch.cli.commands;

import dev.hutch.HutchException;
import dev.hutch.NotFoundException;
import dev.hutch.cli.Command;
import dev.hutch.cli.Context;
import dev.hutch.cli.Flags;
import dev.hutch.copy.ContainerFiles;
import dev.hutch.copy.ScopedPath;
import dev.hutch.copy.TreeArchiver;
import dev.hutch.copy.TreeExtractor;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

/**
 * hutch cp: files between a container (running, stopped, or created and never started) and the host, or a tar on stdin or
 * stdout with "-", with docker cp's rules: into an existing directory under the source's name,
 * over an existing file, or as the new name; "dir/." copies the directory's content. Paths in
 * the container resolve inside it ({@link ScopedPath}), so no link there reaches the host. The
 * copy is a tar streamed from one side to the other: modes and times are kept, owners only with
 * -a (else the container's root inside it, the caller on the host, as docker's docs say).
 */
public final class CpCommand implements Command {
    public String name() { return "cp"; }
    public String summary() { return "Copy files/folders between a container and the local filesystem"; }
    public String usage() { return "cp [OPTIONS] CONTAINER:SRC_PATH DEST_PATH|-\n       hutch cp [OPTIONS] SRC_PATH|- CONTAINER:DEST_PATH"; }

    public Flags flags() {
        return new Flags(name()).bool("archive", "a", "Archive mode (copy all uid/gid information)")
                .bool("follow-link", "L", "Always follow symbol link in SRC_PATH");
    }

    /** One side of the copy: a container's path, or the host's (container null). */
    private record Side(String container, String path) {
        static Side parse(String arg) {
            // docker's rule: a path that starts with / or . is local, whatever colons follow
            if (arg.startsWith("/") || arg.startsWith(".")) return new Side(null, arg);
            int colon = arg.indexOf(':');
            if (colon <= 0) return new Side(null, arg);
            String p = arg.substring(colon + 1);
            return new Side(arg.substring(0, colon), p.startsWith("/") ? p : "/" + p);
        }
    }

    /** Where the tar is unpacked, and the name its top entry gets there. */
    private record Plan(String dir, String base) {}

    public int run(Context ctx, Flags.Parsed a) {
        List<String> pos = a.positional();
        if (pos.size() != 2)
            throw new HutchException("\"hutch cp\" requires exactly 2 arguments: CONTAINER:SRC_PATH DEST_PATH or SRC_PATH CONTAINER:DEST_PATH");
        Side src = Side.parse(pos.get(0)), dst = Side.parse(pos.get(1));
        if (src.container() != null && dst.container() != null)
            throw new HutchException("copying between containers is not supported: copy to the host, then into the other container");
        if (src.container() == null && dst.container() == null)
            throw new HutchException("must specify at least one container source (CONTAINER:PATH), got " + pos.get(0) + " and " + pos.get(1));
        if (src.path().isEmpty() || dst.path().isEmpty()) throw new HutchException("cp: an empty path is not a path (try . or /)");
        boolean keepOwners = a.bool("archive"), follow = a.bool("follow-link");
        try {
            return src.container() != null ? fromContainer(ctx, src, dst.path(), keepOwners, follow)
                    : toContainer(ctx, src.path(), dst, keepOwners, follow);
        } catch (IOException e) {
            throw new HutchException("cp: " + e.getMessage(), e);
        } catch (UncheckedIOException e) {
            throw new HutchException("cp: " + e.getCause().getMessage(), e);
        }
    }

    private static int fromContainer(Context ctx, Side src, String dst, boolean keepOwners, boolean follow) throws IOException {
        try (ContainerFiles files = open(ctx, src)) {
            ScopedPath from = files.resolve(src.path(), follow || ScopedPath.assertsDirectory(src.path()));
            if (!Files.exists(from.host(), LinkOption.NOFOLLOW_LINKS))
                throw NotFoundException.container("No such container:path: " + src.container() + ":" + src.path());
            boolean srcIsDir = Files.isDirectory(from.host(), LinkOption.NOFOLLOW_LINKS);
            if (ScopedPath.assertsDirectory(src.path()) && !srcIsDir)
                throw new HutchException("cp: " + src.path() + " in container " + src.container() + " is not a directory");
            String base = ScopedPath.baseName(src.path());
            if (dst.equals("-")) {
                TreeArchiver.write(from.host(), base, ctx.out());
                ctx.out().flush();
                return 0;
            }
            Path target = ctx.path(dst);
            Plan plan = plan(dst, Files.isDirectory(target), Files.exists(target), srcIsDir, base, target.getParent() == null ? "/" : target.getParent().toString());
            Path dir = Path.of(plan.dir());
            if (!Files.isDirectory(dir)) throw new HutchException("cp: the destination directory " + dir + " does not exist");
            TreeExtractor.Owners owners = keepOwners ? TreeExtractor.Owners.fromArchive() : callerOwners(ctx);
            // on the host the destination directory is the scope: no entry, and no link the copy makes, leads out of it
            TreeExtractor extractor = new TreeExtractor(dir, owners, true);
            pipe(out -> TreeArchiver.write(from.host(), plan.base(), out), in -> extractor.extract(in, "/"));
            return 0;
        }
    }

    private static int toContainer(Context ctx, String src, Side dst, boolean keepOwners, boolean follow) throws IOException {
        TreeExtractor.Owners owners = keepOwners ? TreeExtractor.Owners.fromArchive() : TreeExtractor.Owners.fixed(0, 0);
        try (ContainerFiles files = open(ctx, dst)) {
            if (src.equals("-")) {
                files.extract(dst.path(), ctx.in(), owners, true);
                return 0;
            }
            Path from = ctx.path(src);
            if (follow || ScopedPath.assertsDirectory(src)) from = from.toRealPath();
            if (!Files.exists(from, LinkOption.NOFOLLOW_LINKS)) throw new HutchException("cp: " + src + ": no such file or directory on the host");
            boolean srcIsDir = Files.isDirectory(from, LinkOption.NOFOLLOW_LINKS);
            if (ScopedPath.assertsDirectory(src) && !srcIsDir) throw new HutchException("cp: " + src + " is not a directory");
            ScopedPath target = files.resolve(dst.path(), true);
            Plan plan = plan(dst.path(), Files.isDirectory(target.host()), Files.exists(target.host()), srcIsDir, ScopedPath.baseName(src),
                    ScopedPath.dirName(target.inContainer()));
            Path source = from;
            try {
                pipe(out -> TreeArchiver.write(source, plan.base(), out), in -> files.extract(plan.dir(), in, owners, true));
            } catch (NotFoundException e) {
                throw NotFoundException.container("No such container:path: " + dst.container() + ":" + plan.dir());
            }
            return 0;
        }
    }

    /** docker's PrepareArchiveCopy: where the source's tar goes, and the name its top entry takes there. */
    private static Plan plan(String dst, boolean dstIsDir, boolean dstExists, boolean srcIsDir, String srcBase, String dstParent) {
        if (dstIsDir) return new Plan(dst, srcBase);
        if (dstExists && srcIsDir) throw new HutchException("cp: cannot copy a directory to the file " + dst + " (give a directory)");
        if (!dstExists && !srcIsDir && ScopedPath.assertsDirectory(dst))
            throw new HutchException("cp: the destination directory " + dst + " does not exist (create it, or leave out the trailing /)");
        return new Plan(dstParent, ScopedPath.baseName(dst.replaceAll("/+$", "")));
    }

    private static ContainerFiles open(Context ctx, Side side) {
        try {
            return ctx.engine().files(side.container());
        } catch (NotFoundException e) {
            throw NotFoundException.container("No such container: " + side.container());
        }
    }

    /** The caller's own uid and gid (the owner of its /proc/self), docker cp's default on the host. */
    private static TreeExtractor.Owners callerOwners(Context ctx) throws IOException {
        Path self = ctx.config().procRoot().resolve("self");
        return TreeExtractor.Owners.fixed((Integer) Files.getAttribute(self, "unix:uid"), (Integer) Files.getAttribute(self, "unix:gid"));
    }

    private interface Writer { void write(OutputStream out) throws IOException; }

    private interface Reader { void read(InputStream in) throws IOException; }

    /** The tar from one side to the other through a pipe: neither side holds the whole of it. */
    private static void pipe(Writer writer, Reader reader) throws IOException {
        PipedInputStream in = new PipedInputStream(1 << 16);
        PipedOutputStream out = new PipedOutputStream(in);
        Throwable[] failed = new Throwable[1];
        Thread t = new Thread(() -> {
            try (out) {
                writer.write(out);
            } catch (Throwable e) {
                failed[0] = e;
            }
        }, "hutch-cp-tar");
        t.setDaemon(true);
        t.start();
        try (in) {
            reader.read(in);
            in.transferTo(OutputStream.nullOutputStream()); // let the writer finish
        } finally {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (failed[0] instanceof IOException e) throw e;
        if (failed[0] instanceof RuntimeException e) throw e;
        if (failed[0] != null) throw new HutchException("cp: " + failed[0], failed[0]);
    }
}
