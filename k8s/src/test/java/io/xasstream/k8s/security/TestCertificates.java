package io.xasstream.k8s.security;

import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away certificate authority and a broker certificate for 127.0.0.1, made in the test (BouncyCastle): the
 * broker's PKCS12 key store, and the CA as PEM, which clients trust exactly as the pods trust Strimzi's cluster CA
 * (ssl.truststore.type=PEM).
 */
final class TestCertificates {
    final Path brokerKeyStore;
    final String keyStorePassword;
    final Path caPem;

    private TestCertificates(Path brokerKeyStore, String keyStorePassword, Path caPem) {
        this.brokerKeyStore = brokerKeyStore;
        this.keyStorePassword = keyStorePassword;
        this.caPem = caPem;
    }

    static TestCertificates create(Path dir) throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        KeyPair caKeys = rsa.generateKeyPair();
        X500Name caName = new X500Name("CN=xasstream test CA");
        Instant now = Instant.now();
        X509Certificate ca = sign(new JcaX509v3CertificateBuilder(caName, BigInteger.ONE, Date.from(now.minusSeconds(60)),
                Date.from(now.plus(Duration.ofDays(1))), caName, caKeys.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(true)), caKeys);

        KeyPair brokerKeys = rsa.generateKeyPair();
        X509Certificate broker = sign(new JcaX509v3CertificateBuilder(caName, BigInteger.TWO,
                Date.from(now.minusSeconds(60)), Date.from(now.plus(Duration.ofDays(1))),
                new X500Name("CN=127.0.0.1"), brokerKeys.getPublic())
                .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[]{
                        new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                        new GeneralName(GeneralName.dNSName, "localhost")})), caKeys);

        String password = Long.toHexString(new SecureRandom().nextLong());
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("broker", brokerKeys.getPrivate(), password.toCharArray(), new Certificate[]{broker, ca});
        Path keyStore = dir.resolve("broker.p12");
        try (OutputStream out = Files.newOutputStream(keyStore)) {
            store.store(out, password.toCharArray());
        }
        Path pem = dir.resolve("ca.crt");
        Files.writeString(pem, "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(ca.getEncoded())
                + "\n-----END CERTIFICATE-----\n");
        return new TestCertificates(keyStore, password, pem);
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair issuer) throws Exception {
        return new JcaX509CertificateConverter().getCertificate(builder.build(
                new JcaContentSignerBuilder("SHA256withRSA").build(issuer.getPrivate())));
    }
}
