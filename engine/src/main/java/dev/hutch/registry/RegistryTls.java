package dev.hutch.registry;

import dev.hutch.HutchException;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;

/**
 * The TLS trust for one registry: the system's CAs plus, as docker does, every {@code *.crt} in
 * {@code CERTSDIR/HOST:PORT/} (e.g. {@code ca.crt} of a registry with a self-signed CA).
 */
final class RegistryTls {
    private RegistryTls() {}

    static SSLContext contextFor(RegistryConfig config, String registry) {
        Path dir = config.certsDir().resolve(registry);
        try {
            if (!Files.isDirectory(dir)) return SSLContext.getDefault();
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            TrustManagerFactory system = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            system.init((KeyStore) null);
            int n = 0;
            for (var tm : system.getTrustManagers()) {
                if (tm instanceof X509TrustManager x) for (X509Certificate c : x.getAcceptedIssuers()) store.setCertificateEntry("system-" + n++, c);
            }
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            try (DirectoryStream<Path> crts = Files.newDirectoryStream(dir, "*.crt")) {
                for (Path crt : crts) {
                    try (InputStream in = Files.newInputStream(crt)) {
                        for (Certificate c : cf.generateCertificates(in)) store.setCertificateEntry("certs.d-" + n++, c);
                    }
                }
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (IOException | GeneralSecurityException e) {
            throw new HutchException("cannot read the CA certificates in " + dir + ": " + e.getMessage() + " (each *.crt must be PEM)", e);
        }
    }
}
