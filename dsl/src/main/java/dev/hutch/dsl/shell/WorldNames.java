package dev.hutch.dsl.shell;

import dev.hutch.engine.Engine;
import dev.hutch.image.Image;
import dev.hutch.net.Networks;
import dev.hutch.state.ContainerState;
import dev.hutch.volume.Volume;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The names completion offers inside quotes: what exists on the engine now. Each list is read
 * when TAB is pressed (a few small files), and a failure gives an empty list: completion never
 * breaks the line being typed.
 */
interface WorldNames {
    List<String> containers();

    List<String> images();

    List<String> networks();

    List<String> volumes();

    static WorldNames of(Supplier<Engine> engine) {
        return new WorldNames() {
            @Override public List<String> containers() {
                return safely(() -> engine.get().list(true).stream().map(ContainerState::name).toList());
            }

            @Override public List<String> images() {
                return safely(() -> {
                    List<String> out = new ArrayList<>();
                    for (Image i : engine.get().images().list()) {
                        for (String tag : i.repoTags()) out.add(tag.endsWith(":latest") ? tag.substring(0, tag.length() - 7) : tag);
                    }
                    return out;
                });
            }

            @Override public List<String> networks() {
                return safely(() -> {
                    List<String> out = new ArrayList<>(List.of("none", "host", "bridge"));
                    new Networks(engine.get().networking()).list().forEach(n -> { if (!out.contains(n.name())) out.add(n.name()); });
                    return out;
                });
            }

            @Override public List<String> volumes() {
                return safely(() -> engine.get().volumes().list().stream().filter(v -> !v.anonymous()).map(Volume::name).toList());
            }
        };
    }

    private static List<String> safely(Supplier<List<String>> names) {
        try {
            return names.get();
        } catch (RuntimeException | LinkageError e) {
            return List.of();
        }
    }
}
