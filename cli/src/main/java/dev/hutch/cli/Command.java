package dev.hutch.cli;

import java.util.List;

/** One CLI verb: builds a spec or a request from its flags, calls the engine, prints. */
public interface Command {
    String name();

    /** One line for `hutch --help`. */
    String summary();

    /** Usage line, e.g. "run [OPTIONS] IMAGE [COMMAND] [ARG...]". */
    String usage();

    Flags flags();

    int run(Context ctx, Flags.Parsed args) throws Exception;

    default List<String> aliases() { return List.of(); }

    /** The sub-verbs of a management command (network, image, volume ...); empty for a plain verb. */
    default List<Subcommand> subcommands() { return List.of(); }
}
