package dev.hutch.cli.api;

final class ExecInstances {
}
