package dev.hutch.runtime;

import dev.hutch.spec.InvalidSpecException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns docker's {@code -u USER[:GROUP]} into numbers using the image's own /etc/passwd and
 * /etc/group (read from the layer dirs, top layer first), as docker does inside the rootfs.
 */
public final class UserResolver {
    /** uid, gid and the supplementary groups the user is a member of. */
    public record Ids(long uid, long gid, List<Long> additionalGids) {
        /** These groups as well ({@code --group-add}), after the user's own, each once. */
        public Ids withGroups(List<Long> more) {
            if (more.isEmpty()) return this;
            List<Long> all = new ArrayList<>(additionalGids);
            for (Long g : more) if (!all.contains(g)) all.add(g);
            return new Ids(uid, gid, List.copyOf(all));
        }
    }

    private final List<Path> layersTopFirst;

    public UserResolver(List<Path> layersTopFirst) { this.layersTopFirst = layersTopFirst; }

    public Ids resolve(String user) {
        if (user == null || user.isEmpty()) user = "0";
        String userPart = user, groupPart = null;
        int colon = user.indexOf(':');
        if (colon >= 0) { userPart = user.substring(0, colon); groupPart = user.substring(colon + 1); }
        long uid, gid;
        String userName = null;
        if (isNumber(userPart)) {
            uid = Long.parseLong(userPart);
            String[] entry = find("etc/passwd", 2, userPart);
            gid = entry == null ? 0 : Long.parseLong(entry[3]);
            userName = entry == null ? null : entry[0];
        } else {
            String[] entry = find("etc/passwd", 0, userPart);
            if (entry == null)
                throw new InvalidSpecException("--user", user, "names a user that is not in the image's /etc/passwd (use a number, e.g. 1000:1000)");
            uid = Long.parseLong(entry[2]);
            gid = Long.parseLong(entry[3]);
            userName = entry[0];
        }
        if (groupPart != null) {
            if (isNumber(groupPart)) gid = Long.parseLong(groupPart);
            else {
                String[] g = find("etc/group", 0, groupPart);
                if (g == null)
                    throw new InvalidSpecException("--user", user, "names a group that is not in the image's /etc/group (use a number)");
                gid = Long.parseLong(g[2]);
            }
        }
        return new Ids(uid, gid, userName == null ? List.of() : memberships(userName, gid));
    }

    /**
     * docker's {@code --group-add}: a number as it is, a name looked up in the image's /etc/group
     * (docker refuses a name it cannot find, and so does hutch).
     */
    public List<Long> groups(List<String> namesOrIds) {
        List<Long> out = new ArrayList<>();
        for (String g : namesOrIds) {
            if (isNumber(g)) {
                out.add(Long.parseLong(g));
                continue;
            }
            String[] entry = find("etc/group", 0, g);
            if (entry == null)
                throw new InvalidSpecException("--group-add", g, "names a group that is not in the image's /etc/group (use a number, e.g. 1234)");
            out.add(Long.parseLong(entry[2]));
        }
        return out;
    }

    private List<Long> memberships(String userName, long primary) {
        List<Long> out = new ArrayList<>();
        for (String[] g : entries("etc/group")) {
            if (g.length < 4 || g[3].isEmpty()) continue;
            for (String member : g[3].split(",")) {
                if (member.equals(userName)) {
                    long id = Long.parseLong(g[2]);
                    if (id != primary && !out.contains(id)) out.add(id);
                }
            }
        }
        return out;
    }

    private String[] find(String file, int field, String value) {
        for (String[] e : entries(file)) if (e.length > field && e[field].equals(value)) return e;
        return null;
    }

    private List<String[]> entries(String file) {
        for (Path layer : layersTopFirst) {
            Path p = layer.resolve(file);
            if (Files.isRegularFile(p)) {
                try {
                    List<String[]> out = new ArrayList<>();
                    for (String line : Files.readAllLines(p)) {
                        if (line.isBlank() || line.startsWith("#")) continue;
                        String[] f = line.split(":", -1);
                        if (f.length >= 3 && isNumber(f[2]) && (f.length < 4 || !file.endsWith("passwd") || isNumber(f[3]))) out.add(f);
                    }
                    return out;
                } catch (IOException e) {
                    return List.of();
                }
            }
        }
        return List.of();
    }

    private static boolean isNumber(String s) {
        if (s.isEmpty()) return false;
        for (int i = 0; i < s.length(); i++) if (!Character.isDigit(s.charAt(i))) return false;
        return true;
    }
}
