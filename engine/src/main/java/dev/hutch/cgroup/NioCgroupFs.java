package dev.hutch.cgroup;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** cgroupfs through java.nio. Not final: the test fake extends it to play the kernel's part in mkdir. */
public class NioCgroupFs implements CgroupFs {

    @Override
    public boolean exists(Path path) { return Files.exists(path); }

    @Override
    public String read(Path file) throws IOException { return Files.readString(file); }

    @Override
    public void write(Path file, String value) throws IOException {
        // WRITE only: with CREATE a missing control file would give a confusing EACCES instead of
        // NoSuchFileException. One channel write: cgroupfs parses each write(2) on its own.
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.wrap(value.getBytes(StandardCharsets.UTF_8));
            while (buf.hasRemaining()) ch.write(buf);
        }
    }

    @Override
    public boolean mkdir(Path dir) throws IOException {
        try {
            Files.createDirectory(dir);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        }
    }

    @Override
    public void rmdir(Path dir) throws IOException { Files.delete(dir); }

    @Override
    public List<Path> subdirectories(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(Files::isDirectory).forEach(out::add);
        } catch (NoSuchFileException e) {
            return List.of();
        }
        return out;
    }
}
