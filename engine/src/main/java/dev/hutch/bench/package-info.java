/**
 * {@code hutch bench limits}: measures how well cpu, memory, pids and io limits hold, by running
 * containers through the {@link dev.hutch.engine.Engine} façade. A client of the façade, like the
 * CLI and the DSL (which both call it): it is the one package of the engine module that imports
 * {@code dev.hutch.engine}, and nothing below the façade imports it.
 */
package dev.hutch.bench;
