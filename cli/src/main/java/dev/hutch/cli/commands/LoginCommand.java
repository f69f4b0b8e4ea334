package dev.hutch.cli.commands;

import dev.hutch.HutchException;
import dev.hutch.cli.Command;
import dev.hutch.cli.Context;
import dev.hutch.cli.Flags;
import dev.hutch.registry.AuthFile;
import dev.hutch.registry.Credentials;
import dev.hutch.registry.Reference;
import dev.hutch.registry.RegistryClient;
import dev.hutch.registry.RegistryConfig;
import dev.hutch.registry.RegistryException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * hutch login: checks a user name and password against the registry's {@code /v2/} challenge and,
 * only when it takes them, stores them in hutch's 0600 auth file, which pull and push read.
 */
public final class LoginCommand implements Command {
    static final int LOGIN_FAILED = 1;

    public String name() { return "login"; }
    public String summary() { return "Log in to a registry"; }
    public String usage() { return "login [OPTIONS] [SERVER]"; }

    public Flags flags() {
        return new Flags(name())
                .value("username", "u", "Username")
                .value("password", "p", "Password (insecure: it shows in ps and the shell's history; use --password-stdin)")
                .bool("password-stdin", null, "Take the password from stdin");
    }

    public int run(Context ctx, Flags.Parsed a) {
        if (a.positional().size() > 1) throw new HutchException(LOGIN_FAILED, "\"hutch login\" takes at most 1 argument: [SERVER]", null);
        String server = a.positional().isEmpty() ? Reference.DOCKER_HUB : a.positional().get(0);
        String registry = AuthFile.registryOf(server);
        RegistryConfig config = RegistryConfig.fromEnvironment(ctx.env(), ctx.config().libRoot());
        Credentials credentials = credentials(ctx, a, config, registry);
        try {
            new RegistryClient(config, registry, credentials).login();
        } catch (RegistryException e) {
            if (e.kind() == RegistryException.Kind.UNAUTHORIZED)
                throw new HutchException(LOGIN_FAILED, "login to " + registry + " failed: unauthorized: incorrect username or password for user '"
                        + credentials.user() + "'; nothing was stored", e);
            throw new HutchException(LOGIN_FAILED, e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HutchException(LOGIN_FAILED, "login to " + registry + " was interrupted; nothing was stored", e);
        }
        try {
            AuthFile.store(config.authFile(), registry, credentials);
        } catch (HutchException e) {
            throw new HutchException(LOGIN_FAILED, e.getMessage(), e);
        }
        ctx.err().println("WARNING! Your password will be stored unencrypted in " + config.authFile() + " (mode 0600, readable by root).");
        ctx.out().println("Login Succeeded");
        return 0;
    }

    /** From the flags, or stdin, or (with neither) the credentials stored already, as docker re-checks them. */
    private static Credentials credentials(Context ctx, Flags.Parsed a, RegistryConfig config, String registry) {
        String user = a.value("username");
        String password = a.value("password");
        boolean fromStdin = a.bool("password-stdin");
        if (password != null && fromStdin) throw new HutchException(LOGIN_FAILED, "--password and --password-stdin are mutually exclusive", null);
        if (fromStdin) {
            if (user == null || user.isEmpty()) throw new HutchException(LOGIN_FAILED, "Must provide --username with --password-stdin", null);
            password = readStdin(ctx);
        }
        if (password != null) {
            if (!fromStdin) ctx.err().println("WARNING! Using --password via the CLI is insecure. Use --password-stdin.");
            if (user == null || user.isEmpty()) throw new HutchException(LOGIN_FAILED, "Must provide --username with --password", null);
            if (password.isEmpty()) throw new HutchException(LOGIN_FAILED, "the password is empty (give it with -p or on stdin with --password-stdin)", null);
            return new Credentials(user, password);
        }
        Credentials stored = Credentials.lookup(config, registry);
        if (stored != null && (user == null || user.equals(stored.user()))) {
            ctx.out().println("Authenticating with existing credentials...");
            return stored;
        }
        return prompt(ctx, user);
    }

    private static String readStdin(Context ctx) {
        try {
            String s = new String(ctx.in().readAllBytes(), StandardCharsets.UTF_8);
            if (s.endsWith("\n")) s = s.substring(0, s.length() - 1); // docker strips one trailing newline, then a CR
            if (s.endsWith("\r")) s = s.substring(0, s.length() - 1);
            if (s.isEmpty()) throw new HutchException(LOGIN_FAILED, "--password-stdin: stdin gave an empty password", null);
            return s;
        } catch (IOException e) {
            throw new HutchException(LOGIN_FAILED, "--password-stdin: cannot read stdin: " + e.getMessage(), e);
        }
    }

    /** docker's prompts, on this process's own terminal (the password not echoed). */
    private static Credentials prompt(Context ctx, String user) {
        java.io.Console console = System.console();
        if (!ctx.stdinIsTerminal() || console == null)
            throw new HutchException(LOGIN_FAILED, "Cannot perform an interactive login from a non TTY device (give -u USER and --password-stdin)", null);
        if (user == null || user.isEmpty()) {
            String typed = console.readLine("Username: ");
            if (typed == null || typed.isBlank()) throw new HutchException(LOGIN_FAILED, "Non-null Username Required (give one, or -u USER)", null);
            user = typed.trim();
        }
        char[] pw = console.readPassword("Password: ");
        if (pw == null || pw.length == 0) throw new HutchException(LOGIN_FAILED, "Password Required (give one, or use --password-stdin)", null);
        return new Credentials(user, new String(pw));
    }
}
