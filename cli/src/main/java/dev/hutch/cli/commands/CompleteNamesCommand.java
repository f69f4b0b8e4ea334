package dev.hutch.cli.commands;

import dev.hutch.cli.Command;
import dev.hutch.cli.Context;
import dev.hutch.cli.Flags;
import dev.hutch.image.Image;
import dev.hutch.net.Networks;
import dev.hutch.net.store.NetworkConfig;
import dev.hutch.state.ContainerState;
import dev.hutch.volume.Volume;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * hutch __complete containers|running|images|networks|volumes: the names the completion scripts
 * offer, one per line. Hidden from help: only the scripts call it. It never fails loudly: a kind it
 * does not know or a store it cannot read prints nothing and exits 1.
 */
public final class CompleteNamesCommand implements Command {
    public static final String NAME = "__complete";

    public String name() { return NAME; }
    public String summary() { return "Names for the shell completion scripts"; }
    public String usage() { return NAME + " containers|running|images|networks|volumes"; }

    public Flags flags() { return new Flags(name()); }

    public int run(Context ctx, Flags.Parsed a) {
        if (a.positional().size() != 1) return 1;
        Set<String> names = new LinkedHashSet<>();
        switch (a.positional().get(0)) {
            case "containers", "running" -> {
                boolean all = a.positional().get(0).equals("containers");
                for (ContainerState s : ctx.engine().list(all)) if (s.name() != null) names.add(s.name());
            }
            case "images" -> {
                for (Image i : ctx.engine().images().list()) names.addAll(i.repoTags());
                names.add(dev.hutch.rootfs.BusyboxImage.NAME); // built in: run makes it on first use
            }
            case "networks" -> {
                for (NetworkConfig n : new Networks(ctx.engine().networking()).list()) names.add(n.name());
            }
            case "volumes" -> {
                for (Volume v : ctx.engine().volumes().list()) names.add(v.name());
            }
            default -> { return 1; }
        }
        names.forEach(ctx.out()::println);
        return 0;
    }
}
