package dev.hutch.cli;

import dev.hutch.cli.commands.Commands;

/** docs/cli.md, rendered from the commands themselves so the reference cannot drift from the code. */
public final class CliReference {
    private CliReference() {}

    public static String render() {
        StringBuilder sb = new StringBuilder();
        sb.append("# CLI reference\n\n");
        sb.append("Generated from the commands' own flag tables (`CliReferenceTest` fails when this file is stale;\n");
        sb.append("regenerate with `mvn -pl cli test -Dtest=CliReferenceTest -Dhutch.updateDocs=true`).\n\n");
        sb.append("Global options go before the command: `--run-root DIR`, `--lib-root DIR`, `--cgroup-parent NAME`,\n");
        sb.append("`--debug`. Exit codes follow docker: the command's own code, 125 when hutch failed, 126 when the\n");
        sb.append("command cannot be invoked, 127 when it is not found, 128+N when it died of signal N.\n\n");
        sb.append("| command | what it does |\n|---|---|\n");
        for (String name : Commands.names()) sb.append("| `").append(name).append("` | ").append(Commands.find(name).summary()).append(" |\n");
        for (String name : Commands.names()) {
            Command c = Commands.find(name);
            sb.append("\n## ").append(name).append("\n\n");
            sb.append("```\nhutch ").append(c.usage()).append("\n```\n\n");
            sb.append(c.summary()).append(".\n");
            String flags = c.flags().help();
            if (!flags.isBlank()) sb.append("\n```\n").append(flags).append("```\n");
        }
        return sb.toString();
    }
}
