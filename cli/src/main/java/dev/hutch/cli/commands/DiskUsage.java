package dev.hutch.cli.commands;

import dev.hutch.cli.Context;
import dev.hutch.image.Image;
import dev.hutch.state.ContainerState;
import dev.hutch.volume.Volume;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * docker's {@code system df} numbers: for images, containers and volumes, how many there are,
 * how many are in use, their size on disk and how much of it a prune would give back. A layer
 * shared by several images is counted once. A container's size is its own data (the overlay's
 * upper dir, its log), never the merged view of the image under it.
 */
final class DiskUsage {
    record Row(String type, int total, int active, long size, long reclaimable) {}

    private DiskUsage() {}

    static List<Row> of(Context ctx, List<Image> images) {
        List<ContainerState> containers = ctx.engine().list(true);
        Set<Path> allLayers = new HashSet<>(), activeLayers = new HashSet<>();
        int activeImages = 0;
        for (Image i : images) {
            allLayers.addAll(i.layerDirs());
            if (ctx.engine().imageInUse(i.id())) {
                activeImages++;
                activeLayers.addAll(i.layerDirs());
            }
        }
        long imageSize = 0, imageReclaim = 0;
        for (Path l : allLayers) {
            long s = size(l);
            imageSize += s;
            if (!activeLayers.contains(l)) imageReclaim += s;
        }
        long cSize = 0, cReclaim = 0;
        int running = 0;
        for (ContainerState c : containers) {
            long s = size(ctx.engine().config().containerDataDir(c.id()));
            cSize += s;
            if (c.isRunning()) running++;
            else cReclaim += s;
        }
        List<Volume> volumes = ctx.engine().volumes().list();
        long vSize = 0, vReclaim = 0;
        int vActive = 0;
        for (Volume v : volumes) {
            long s = size(v.mountpoint());
            vSize += s;
            if (ctx.engine().volumeInUse(v.name())) vActive++;
            else vReclaim += s;
        }
        return List.of(new Row("Images", images.size(), activeImages, imageSize, imageReclaim),
                new Row("Containers", containers.size(), running, cSize, cReclaim),
                new Row("Local Volumes", volumes.size(), vActive, vSize, vReclaim));
    }

    /** Bytes of the regular files below dir, not following links, skipping an overlay's merged view. */
    static long size(Path dir) {
        long[] total = {0};
        if (dir == null || !Files.isDirectory(dir)) return 0;
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                    return d.getFileName() != null && d.getFileName().toString().equals("merged") && !d.equals(dir)
                            ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile()) total[0] += attrs.size();
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path f, IOException e) { return FileVisitResult.CONTINUE; }
            });
        } catch (IOException e) {
            // a dir removed meanwhile: what was counted stands
        }
        return total[0];
    }
}
