package dev.hutch.cli.commands;

import dev.hutch.cli.Command;
import dev.hutch.cli.Context;
import dev.hutch.cli.Flags;
import dev.hutch.cli.Version;
import dev.hutch.json.Json;
import dev.hutch.runtime.LaunchFile;

import java.util.LinkedHashMap;
import java.util.Map;

/** hutch version: docker's Client and Server sections, where they apply (one program: the engine is the CLI's own). */
public final class VersionCommand implements Command {
    public String name() { return "version"; }
    public String summary() { return "Show the hutch version information"; }
    public String usage() { return "version [OPTIONS]"; }

    public Flags flags() { return new Flags(name()).value("format", "f", "Format the output: json"); }

    public int run(Context ctx, Flags.Parsed a) {
        Map<String, Object> client = new LinkedHashMap<>();
        client.put("Version", Version.get());
        client.put("JavaVersion", System.getProperty("java.version"));
        client.put("Os", "linux");
        client.put("Arch", HostFacts.arch());
        Map<String, Object> engine = new LinkedHashMap<>();
        engine.put("Version", Version.get());
        engine.put("HelperProtocol", LaunchFile.VERSION);
        engine.put("KernelVersion", HostFacts.kernel(ctx));
        engine.put("Os", "linux");
        engine.put("Arch", HostFacts.arch());
        if ("json".equals(a.value("format"))) {
            Map<String, Object> all = new LinkedHashMap<>();
            all.put("Client", client);
            all.put("Server", engine);
            ctx.out().println(Json.write(all));
            return 0;
        }
        if (a.has("format")) throw new dev.hutch.spec.InvalidSpecException("--format", a.value("format"), "is not a supported format (use json)");
        ctx.out().println("Client: hutch");
        ctx.out().println(" Version:           " + client.get("Version"));
        ctx.out().println(" Java version:      " + client.get("JavaVersion"));
        ctx.out().println(" OS/Arch:           linux/" + client.get("Arch"));
        ctx.out().println();
        ctx.out().println("Server: hutch engine");
        ctx.out().println(" Engine:");
        ctx.out().println("  Version:          " + engine.get("Version"));
        ctx.out().println("  Helper protocol:  " + engine.get("HelperProtocol"));
        ctx.out().println("  OS/Arch:          linux/" + engine.get("Arch"));
        ctx.out().println("  Kernel version:   " + engine.get("KernelVersion"));
        return 0;
    }
}
