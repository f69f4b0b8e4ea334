package dev.hutch.cli.filter;

import dev.hutch.image.Image;
import dev.hutch.image.ImageSummary;
import dev.hutch.image.LocalImageStore;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * docker's image list filters, for {@code hutch images} and {@code GET /images/json} alike:
 * {@code dangling=true|false} (untagged or tagged images), {@code reference=PATTERN} (docker's glob
 * on REPO:TAG or REPO; a match lists only the matching tags), {@code before}/{@code since} another
 * image by creation time, {@code label} KEY or KEY=VALUE (all must hold).
 */
public final class ImageFilter {
    static final Set<String> KEYS = Set.of("before", "dangling", "label", "reference", "since");

    private final FilterArgs args;
    private final Boolean dangling;
    private final List<Pattern> references = new ArrayList<>();

    public ImageFilter(FilterArgs args) {
        args.onlyKeys(KEYS);
        this.args = args;
        Boolean d = null;
        for (String v : args.values("dangling")) {
            if (!v.equals("true") && !v.equals("false")) throw BadFilterException.invalid("dangling", v, "use dangling=true or dangling=false");
            d = Boolean.valueOf(v);
        }
        dangling = d;
        for (String v : args.values("reference")) references.add(glob(v));
    }

    /** One listed image with the tags to show (all of them, or those the reference filter matched). */
    public record Selected(ImageSummary summary, List<String> tags) {}

    /** The images that pass, in the store's order, each with the tags to show (none for an untagged one). */
    public List<Selected> select(LocalImageStore store) {
        Instant before = created(store, "before"), since = created(store, "since");
        List<Selected> out = new ArrayList<>();
        for (ImageSummary s : store.summaries()) {
            Image image = s.image();
            boolean untagged = image.repoTags().isEmpty();
            if (dangling != null && dangling != untagged) continue;
            if (!args.labelsMatch(image.config().labels())) continue;
            if (before != null && (s.created() == null || !s.created().isBefore(before))) continue;
            if (since != null && (s.created() == null || !s.created().isAfter(since))) continue;
            List<String> tags = image.repoTags();
            if (!references.isEmpty()) {
                tags = tags.stream().filter(this::referenced).toList();
                if (tags.isEmpty()) continue;
            }
            out.add(new Selected(s, tags));
        }
        return out;
    }

    /** docker's reference match: the pattern on "repo:tag", or on "repo" alone. */
    private boolean referenced(String tag) {
        int colon = tag.lastIndexOf(':');
        String repo = colon > tag.lastIndexOf('/') ? tag.substring(0, colon) : tag;
        return references.stream().anyMatch(p -> p.matcher(tag).matches() || p.matcher(repo).matches());
    }

    /** The creation time of the image named by before=/since= (the last one given); an unknown image is docker's "No such image". */
    private Instant created(LocalImageStore store, String key) {
        Instant at = null;
        for (String ref : args.values(key)) {
            Image i = store.find(ref);
            if (i == null) throw new dev.hutch.NotFoundException("No such image: " + ref + " (before= and since= name an image: see hutch images)");
            at = store.summaries().stream().filter(s -> s.image().id().equals(i.id())).map(ImageSummary::created).findFirst().orElse(null);
        }
        return at;
    }

    /** Go's path.Match as a regular expression: * and ? stop at '/', [...] a class ([^...] negated). */
    static Pattern glob(String pattern) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '*') re.append("[^/]*");
            else if (c == '?') re.append("[^/]");
            else if (c == '\\' && i + 1 < pattern.length()) re.append(Pattern.quote(String.valueOf(pattern.charAt(++i))));
            else if (c == '[') {
                int end = pattern.indexOf(']', i + 2);
                if (end < 0) throw BadFilterException.invalid("reference", pattern, "an unclosed [ in the pattern");
                String cls = pattern.substring(i + 1, end).replace("\\", "\\\\").replace("[", "\\[");
                re.append('[').append(cls).append(']');
                i = end;
            } else re.append(Pattern.quote(String.valueOf(c)));
        }
        return Pattern.compile(re.toString());
    }
}
