package dev.hutch.spec;

import dev.hutch.json.JsonReader;
import dev.hutch.json.JsonWritable;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How the container resolves names beyond what its networks give it: docker's {@code --dns},
 * {@code --dns-search}, {@code --dns-option} (its /etc/resolv.conf: each given list replaces the
 * host's lines of that kind) and {@code --add-host} (extra /etc/hosts lines).
 *
 * @param extraHosts {@code HOST:IP} as docker writes them; IP may be {@code host-gateway}
 */
public record NameResolution(List<String> dns, List<String> dnsSearch, List<String> dnsOptions, List<String> extraHosts)
        implements JsonWritable {

    public static final NameResolution DEFAULT = new NameResolution(List.of(), List.of(), List.of(), List.of());
    /** {@code --add-host NAME:host-gateway}: the address of the container's gateway (the bridge). */
    public static final String HOST_GATEWAY = "host-gateway";

    public NameResolution {
        dns = List.copyOf(dns == null ? List.of() : dns);
        dnsSearch = List.copyOf(dnsSearch == null ? List.of() : dnsSearch);
        dnsOptions = List.copyOf(dnsOptions == null ? List.of() : dnsOptions);
        extraHosts = List.copyOf(extraHosts == null ? List.of() : extraHosts);
    }

    public boolean isDefault() { return equals(DEFAULT); }

    /** One {@code --add-host}: the name and the address (docker: the first ':' or '=' splits them). */
    public record ExtraHost(String name, String ip) {
        public static ExtraHost parse(String text) {
            int eq = text == null ? -1 : text.indexOf('=');
            int colon = text == null ? -1 : text.indexOf(':');
            int at = eq > 0 ? eq : colon;
            if (at <= 0 || at == text.length() - 1)
                throw new InvalidSpecException("--add-host", text, "is not HOST:IP (try db:10.0.0.5 or gw:host-gateway)");
            String ip = text.substring(at + 1);
            if (ip.startsWith("[") && ip.endsWith("]")) ip = ip.substring(1, ip.length() - 1); // docker's [::1]
            return new ExtraHost(text.substring(0, at), ip);
        }
    }

    public List<ExtraHost> parsedExtraHosts() { return extraHosts.stream().map(ExtraHost::parse).toList(); }

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (!dns.isEmpty()) m.put("dns", dns);
        if (!dnsSearch.isEmpty()) m.put("dnsSearch", dnsSearch);
        if (!dnsOptions.isEmpty()) m.put("dnsOptions", dnsOptions);
        if (!extraHosts.isEmpty()) m.put("extraHosts", extraHosts);
        return m;
    }

    public static NameResolution fromJson(Object json) {
        if (json == null) return DEFAULT;
        JsonReader r = JsonReader.of(json);
        return new NameResolution(r.strings("dns"), r.strings("dnsSearch"), r.strings("dnsOptions"), r.strings("extraHosts"));
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.dns.addAll(dns); b.dnsSearch.addAll(dnsSearch); b.dnsOptions.addAll(dnsOptions); b.extraHosts.addAll(extraHosts);
        return b;
    }

    public static Builder builder() { return new Builder(); }

    public static final class Builder {
        private final List<String> dns = new ArrayList<>(), dnsSearch = new ArrayList<>(), dnsOptions = new ArrayList<>(),
                extraHosts = new ArrayList<>();

        public Builder dns(String v) { dns.add(v); return this; }
        public Builder dnsSearch(String v) { dnsSearch.add(v); return this; }
        public Builder dnsOption(String v) { dnsOptions.add(v); return this; }
        public Builder extraHost(String v) { extraHosts.add(v); return this; }

        public NameResolution build() { return new NameResolution(dns, dnsSearch, dnsOptions, extraHosts); }
    }
}
