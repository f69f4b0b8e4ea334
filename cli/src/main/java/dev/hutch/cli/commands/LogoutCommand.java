package dev.hutch.cli.commands;

import dev.hutch.HutchException;
import dev.hutch.cli.Command;
import dev.hutch.cli.Context;
import dev.hutch.cli.Flags;
import dev.hutch.registry.AuthFile;
import dev.hutch.registry.Reference;
import dev.hutch.registry.RegistryConfig;

/** hutch logout: removes a registry's entry from hutch's auth file (docker's ~/.docker/config.json is left alone). */
public final class LogoutCommand implements Command {
    public String name() { return "logout"; }
    public String summary() { return "Log out from a registry"; }
    public String usage() { return "logout [SERVER]"; }

    public Flags flags() { return new Flags(name()); }

    public int run(Context ctx, Flags.Parsed a) {
        if (a.positional().size() > 1) throw new HutchException(LoginCommand.LOGIN_FAILED, "\"hutch logout\" takes at most 1 argument: [SERVER]", null);
        String registry = AuthFile.registryOf(a.positional().isEmpty() ? Reference.DOCKER_HUB : a.positional().get(0));
        String shown = registry.equals(Reference.DOCKER_HUB) ? "https://index.docker.io/v1/" : registry; // as docker names Docker Hub
        RegistryConfig config = RegistryConfig.fromEnvironment(ctx.env(), ctx.config().libRoot());
        try {
            if (!AuthFile.remove(config.authFile(), registry)) {
                ctx.out().println("Not logged in to " + shown);
                return 0;
            }
        } catch (HutchException e) {
            throw new HutchException(LoginCommand.LOGIN_FAILED, e.getMessage(), e);
        }
        ctx.out().println("Removing login credentials for " + shown);
        return 0;
    }
}
