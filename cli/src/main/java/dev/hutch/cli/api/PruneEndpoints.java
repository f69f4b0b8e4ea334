package dev.hutch.cli.api;

import dev.hutch.cli.commands.Pruning;
import dev.hutch.image.ImageSummary;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code POST /containers/prune}, {@code /images/prune}, {@code /networks/prune},
 * {@code /volumes/prune}, {@code /build/prune}: the same prunes as hutch's own verbs
 * ({@link Pruning}), with docker's filters (label, label!, until; dangling for images; all for
 * volumes) and docker's answers. A filter docker does not take for the kind is refused (400).
 */
final class PruneEndpoints {
    private static final Pattern VERSION = Pattern.compile("^/v(\\d+)\\.(\\d+)/");

    private PruneEndpoints() {}

    static void register(ApiRouter router) {
        router.add("POST", "/containers/prune", PruneEndpoints::containers)
                .add("POST", "/images/prune", PruneEndpoints::images)
                .add("POST", "/networks/prune", PruneEndpoints::networks)
                .add("POST", "/volumes/prune", PruneEndpoints::volumes)
                .add("POST", "/build/prune", PruneEndpoints::build);
    }

    static void containers(ApiCall call) throws IOException {
        Map<String, List<String>> f = Filters.parse(call.query("filters"), List.of("until", "label", "label!"));
        Instant until = until(f);
        Pruning.Result r = Pruning.containers(call.engine(), c -> before(c.created(), until) && labels(f, c.spec().labels()));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ContainersDeleted", r.removed().isEmpty() ? null : r.removed());
        m.put("SpaceReclaimed", r.reclaimed());
        call.response().json(200, m);
    }

    static void images(ApiCall call) throws IOException {
        Map<String, List<String>> f = Filters.parse(call.query("filters"), List.of("dangling", "until", "label", "label!"));
        boolean all = false;
        for (String v : f.getOrDefault("dangling", List.of())) {
            if (v.equals("false") || v.equals("0")) all = true;
            else if (!v.equals("true") && !v.equals("1")) throw ApiError.badParameter("invalid filter 'dangling=" + v + "' (use true or false)");
        }
        Instant until = until(f);
        Map<String, Instant> created = new HashMap<>();
        for (ImageSummary s : call.engine().images().summaries()) created.put(s.image().id(), s.created());
        Pruning.ImageResult r = Pruning.images(call.engine(), all, i -> before(created.get(i.id()), until)
                && labels(f, i.config().labels() == null ? Map.of() : i.config().labels()));
        List<Map<String, String>> deleted = new ArrayList<>();
        for (String t : r.untagged()) deleted.add(Map.of("Untagged", t));
        for (String d : r.deleted()) deleted.add(Map.of("Deleted", d));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ImagesDeleted", deleted.isEmpty() ? null : deleted);
        m.put("SpaceReclaimed", r.reclaimed());
        call.response().json(200, m);
    }

    static void networks(ApiCall call) throws IOException {
        Map<String, List<String>> f = Filters.parse(call.query("filters"), List.of("until", "label", "label!"));
        Instant until = until(f);
        Pruning.Result r = Pruning.networks(call.engine(), n -> before(instant(n.created()), until) && labels(f, n.labels()));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("NetworksDeleted", r.removed().isEmpty() ? null : r.removed());
        call.response().json(200, m);
    }

    static void volumes(ApiCall call) throws IOException {
        Map<String, List<String>> f = Filters.parse(call.query("filters"), List.of("all", "label", "label!"));
        boolean all = allVolumes(call.request().path(), f.getOrDefault("all", List.of()));
        Pruning.Result r = Pruning.volumes(call.engine(), all, v -> labels(f, v.labels()));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("VolumesDeleted", r.removed().isEmpty() ? null : r.removed());
        m.put("SpaceReclaimed", r.reclaimed());
        call.response().json(200, m);
    }

    /**
     * hutch build's cache entries (step key to the image it made): the images hold the bytes, so
     * this gives back only the entries' own; {@code until} (written before) applies, other filters
     * are refused. {@code all} changes nothing: no entry is in use between builds.
     */
    static void build(ApiCall call) throws IOException {
        Map<String, List<String>> f = Filters.parse(call.query("filters"), List.of("until"));
        Instant until = until(f);
        Pruning.Result r = Pruning.buildCache(call.engine(), e -> before(e.modified(), until));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("CachesDeleted", r.removed());
        m.put("SpaceReclaimed", r.reclaimed());
        call.response().json(200, m);
    }

    /**
     * dockerd's rule: before API 1.42 a volume prune takes every unused volume (it adds
     * {@code all=true} for older clients); from 1.42 only anonymous ones unless {@code all=true}.
     * A path without a version speaks the newest this API serves ({@link DockerApi#API_VERSION}).
     */
    static boolean allVolumes(String rawPath, List<String> allFilter) {
        boolean all = !atLeast142(rawPath);
        for (String v : allFilter) {
            if (v.equals("true") || v.equals("1")) all = true;
            else if (!v.equals("false") && !v.equals("0")) throw ApiError.badParameter("invalid filter 'all=" + v + "' (use true or false)");
        }
        return all;
    }

    private static boolean atLeast142(String rawPath) {
        Matcher m = VERSION.matcher(rawPath);
        String version = m.find() ? m.group(1) + "." + m.group(2) : DockerApi.API_VERSION;
        String[] parts = version.split("\\.");
        return Integer.parseInt(parts[0]) > 1 || Integer.parseInt(parts[1]) >= 42;
    }

    /** docker's label filters: "key" or "key=value" must all match; "label!" ones must all not. */
    static boolean labels(Map<String, List<String>> f, Map<String, String> labels) {
        for (String want : f.getOrDefault("label", List.of())) if (!labelMatches(want, labels)) return false;
        for (String not : f.getOrDefault("label!", List.of())) if (labelMatches(not, labels)) return false;
        return true;
    }

    private static boolean labelMatches(String filter, Map<String, String> labels) {
        int eq = filter.indexOf('=');
        if (eq < 0) return labels.containsKey(filter);
        return filter.substring(eq + 1).equals(labels.get(filter.substring(0, eq)));
    }

    /** Only what was created before the cutoff goes; without {@code until}, anything. */
    private static boolean before(Instant created, Instant until) {
        return until == null || (created != null && created.isBefore(until));
    }

    private static Instant until(Map<String, List<String>> f) {
        List<String> values = f.get("until");
        if (values == null || values.isEmpty()) return null;
        if (values.size() > 1) throw ApiError.badParameter("more than one until filter is not supported");
        return timestamp(values.get(0), Instant.now());
    }

    /** docker's timestamps: unix seconds (with a fraction), RFC 3339, or a Go duration back from now ("10m", "1h30m"). */
    static Instant timestamp(String v, Instant now) {
        String s = v.trim();
        try {
            if (s.matches("\\d+(\\.\\d+)?")) {
                java.math.BigDecimal d = new java.math.BigDecimal(s);
                return Instant.ofEpochSecond(d.longValue(), d.remainder(java.math.BigDecimal.ONE).movePointRight(9).longValue());
            }
            if (s.matches("(\\d+(\\.\\d+)?(ns|us|ms|s|m|h))+")) {
                Matcher m = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|ms|s|m|h)").matcher(s);
                double nanos = 0;
                while (m.find()) {
                    double n = Double.parseDouble(m.group(1));
                    nanos += n * switch (m.group(2)) {
                        case "ns" -> 1; case "us" -> 1e3; case "ms" -> 1e6; case "s" -> 1e9; case "m" -> 60e9; default -> 3600e9;
                    };
                }
                return now.minus(Duration.ofNanos((long) nanos));
            }
            return OffsetDateTime.parse(s).toInstant();
        } catch (RuntimeException e) {
            throw ApiError.badParameter("invalid until filter '" + v + "' (use a unix timestamp, an RFC 3339 date or a duration like 24h)");
        }
    }

    private static Instant instant(String text) {
        if (text == null || text.isEmpty()) return null;
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (RuntimeException e) {
            try {
                return Instant.parse(text);
            } catch (RuntimeException e2) {
                return null;
            }
        }
    }
}
