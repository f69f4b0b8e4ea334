package dev.hutch.cli.api;

import dev.hutch.copy.ContainerFiles;
import dev.hutch.copy.PathStat;
import dev.hutch.copy.TreeExtractor;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;

/**
 * {@code HEAD}, {@code GET} and {@code PUT /containers/{id}/archive?path=}: what {@code docker cp}
 * uses both ways. HEAD and GET say what the path is in the X-Docker-Container-Path-Stat header
 * (base64 JSON; the CLI decides from it whether it copies a directory, and follows a link for -L);
 * GET sends the tar, PUT unpacks one into a directory as its body arrives (any size, constant
 * memory; a tar that breaks halfway keeps the entries finished before it). Running, stopped or created and never
 * started (Testcontainers copies its files in before the start), through the same
 * {@link ContainerFiles} as {@code hutch cp}.
 */
final class ArchiveEndpoint {
    static final String STAT_HEADER = "X-Docker-Container-Path-Stat";

    private ArchiveEndpoint() {}

    static void register(ApiRouter router) {
        router.add("HEAD", "/containers/([^/]+)/archive", ArchiveEndpoint::stat)
                .add("GET", "/containers/([^/]+)/archive", ArchiveEndpoint::get)
                .addStreamed("PUT", "/containers/([^/]+)/archive", ArchiveEndpoint::put); // unpacked as it arrives: any size
    }

    static void stat(ApiCall call) throws IOException {
        try (ContainerFiles files = open(call)) {
            PathStat s = files.stat(path(call));
            call.response().body(200, null, new byte[0], Map.of(STAT_HEADER, s.header()));
        }
    }

    static void get(ApiCall call) throws IOException {
        try (ContainerFiles files = open(call)) {
            String path = path(call);
            PathStat s = files.stat(path);
            try (OutputStream out = call.response().stream(200, "application/x-tar", Map.of(STAT_HEADER, s.header()))) {
                files.archive(path, false, out);
            }
        }
    }

    static void put(ApiCall call) throws IOException {
        try (ContainerFiles files = open(call)) {
            TreeExtractor.Owners owners = call.flag("copyUIDGID", false) ? TreeExtractor.Owners.fromArchive() : TreeExtractor.Owners.fixed(0, 0);
            try {
                files.extract(path(call), call.request().bodyStream(), owners, call.flag("noOverwriteDirNonDir", false));
            } catch (HttpRequest.BadRequest e) {
                throw e; // the connection ended inside the body: nobody to answer
            } catch (java.io.IOException e) {
                // a tar that breaks halfway (dockerd's words); the server drains the rest of the body,
                // so the connection carries the next request
                throw new ApiError(500, "Error processing tar file: " + e.getMessage());
            } catch (dev.hutch.archive.UnsafeArchiveException e) {
                throw ApiError.badParameter(e.getMessage());
            } catch (dev.hutch.NotFoundException e) {
                throw e;
            } catch (dev.hutch.HutchException e) {
                throw ApiError.badParameter(e.getMessage());
            }
            call.response().empty(200);
        }
    }

    private static String path(ApiCall call) {
        String p = call.query("path");
        if (p == null || p.isEmpty()) throw ApiError.badParameter("path is required (the path in the container, e.g. ?path=/etc)");
        return p.startsWith("/") ? p : "/" + p;
    }

    private static ContainerFiles open(ApiCall call) {
        return call.engine().files(ContainerEndpoints.find(call, call.param(0)).id());
    }
}
