package io.fabricipam.ovs.channel;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import javax.net.ssl.SSLException;

/**
 * The PEM files of the OpenFlow TLS listener: our private key (PKCS#8, as {@code openssl genpkey} and
 * OpenSSL 3's {@code req -newkey} write it), our certificate, and the CA certificate that signed the
 * switches' certificates. These are the same kind of files OVS takes in {@code ovs-vsctl set-ssl}; the
 * switch must in turn trust the CA that signed our certificate. Switches must present a certificate
 * (mutual TLS), as OVS always does for {@code ssl:} controllers.
 */
public record TlsFiles(Path privateKey, Path certificate, Path caCertificate) {

    public TlsFiles {
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(caCertificate, "caCertificate");
    }

    SslContext serverContext() throws SSLException {
        for (Path p : new Path[] {privateKey, certificate, caCertificate}) {
            if (!Files.isReadable(p)) {
                throw new SSLException("cannot read " + p);
            }
        }
        try {
            return SslContextBuilder.forServer(certificate.toFile(), privateKey.toFile())
                    .trustManager(caCertificate.toFile())
                    .clientAuth(ClientAuth.REQUIRE)
                    .protocols("TLSv1.3", "TLSv1.2")
                    .build();
        } catch (IllegalArgumentException e) {
            // Netty reports an unreadable key (e.g. PKCS#1 "BEGIN RSA PRIVATE KEY") this way
            throw new SSLException("cannot load TLS key or certificates: " + e.getMessage(), e);
        }
    }
}
