package io.kassa.engine.server.terminal;

import static org.assertj.core.api.Assertions.assertThat;

import io.kassa.engine.server.testing.RawTerminal;
import io.kassa.engine.server.testing.TestEngine;
import io.kassa.peripherals.sdk.TerminalClient;
import io.kassa.peripherals.sdk.TerminalClientOptions;
import io.kassa.peripherals.sdk.TerminalConnectionException;
import io.kassa.peripherals.sdk.TerminalErrorException;
import io.kassa.protocol.v1.ErrorCode;
import io.kassa.protocol.v1.Welcome;
import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.File;
import java.security.KeyStore;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The terminal port speaks TLS 1.3/1.2 through BoringSSL and, with a client CA, requires a client
 * certificate that names the terminal: a good handshake is welcomed; a certificate from another
 * CA, no certificate, and a certificate for another terminal id are refused. The test makes its
 * own CA and certificates with netty-pkitesting and connects with the SDK's TLS options.
 */
class TerminalTlsTest {

    private static final String TERMINAL = "T-tls-1";
    private static TestEngine engine;
    private static Vertx vertx;
    private static X509Bundle ca;
    private static File caPem;
    private static X509Bundle terminalCertificate;
    private static X509Bundle otherTerminalCertificate;
    private static X509Bundle strangerCertificate;

    @BeforeAll
    static void start() throws Exception {
        Instant now = Instant.now();
        ca = new CertificateBuilder().subject("CN=Kassa test CA").setIsCertificateAuthority(true)
                .notBefore(now.minus(1, ChronoUnit.DAYS)).notAfter(now.plus(1, ChronoUnit.DAYS))
                .ecp256().buildSelfSigned();
        X509Bundle server = new CertificateBuilder().subject("CN=kassa-engine")
                .addSanDnsName("localhost").addSanIpAddress("127.0.0.1")
                .notBefore(now.minus(1, ChronoUnit.DAYS)).notAfter(now.plus(1, ChronoUnit.DAYS))
                .addExtendedKeyUsageServerAuth().ecp256().buildIssuedBy(ca);
        terminalCertificate = clientCertificate(ca, "CN=" + TERMINAL, now);
        otherTerminalCertificate = clientCertificate(ca, "CN=T-tls-2", now);
        X509Bundle strangerCa = new CertificateBuilder().subject("CN=Stranger CA")
                .setIsCertificateAuthority(true).notBefore(now.minus(1, ChronoUnit.DAYS))
                .notAfter(now.plus(1, ChronoUnit.DAYS)).ecp256().buildSelfSigned();
        strangerCertificate = clientCertificate(strangerCa, "CN=" + TERMINAL, now);
        caPem = ca.toTempRootCertPem();
        engine = TestEngine.start("tls", TerminalPolicy.defaults().withTls(new TerminalPolicy.Tls(
                server.toTempCertChainPem().toPath(), server.toTempPrivateKeyPem().toPath(),
                Optional.of(caPem.toPath()))));
        vertx = Vertx.vertx();
    }

    private static X509Bundle clientCertificate(X509Bundle issuer, String subject, Instant now)
            throws Exception {
        return new CertificateBuilder().subject(subject)
                .notBefore(now.minus(1, ChronoUnit.DAYS)).notAfter(now.plus(1, ChronoUnit.DAYS))
                .addExtendedKeyUsageClientAuth().ecp256().buildIssuedBy(issuer);
    }

    @AfterAll
    static void stop() throws Exception {
        engine.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static TerminalClient client(String terminalId, X509Bundle certificate)
            throws Exception {
        TerminalClientOptions options = new TerminalClientOptions().setPort(engine.port())
                .setStoreId("S1").setTerminalId(terminalId)
                .setSecret(engine.secret("S1", terminalId))
                .setTls(true).setTlsTrustedCaPemPath(caPem.getPath());
        if (certificate != null) {
            options.setTlsClientCertificate(certificate.toTempCertChainPem().getPath(),
                    certificate.toTempPrivateKeyPem().getPath());
        }
        return TerminalClient.create(vertx, options);
    }

    @Test
    void terminalWithItsCertificateAndSecretIsWelcomed() throws Exception {
        TerminalClient client = client(TERMINAL, terminalCertificate);

        Welcome welcome = await(client.connect());

        assertThat(welcome.getNodeId()).isEqualTo("test-node");
        assertThat(await(client.heartbeat())).isNotNull();
        await(client.close());
    }

    @Test
    void handshakeNegotiatesTlsOneThree() throws Exception {
        KeyStore keys = terminalCertificate.toKeyStore("secret".toCharArray());
        KeyManagerFactory keyManagers =
                KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, "secret".toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), ca.toTrustManagerFactory().getTrustManagers(),
                null);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory()
                .createSocket("127.0.0.1", engine.port())) {
            socket.startHandshake();
            assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.3");
            RawTerminal terminal = RawTerminal.over(socket);
            assertThat(terminal.authenticate(RawTerminal.hello("S1", TERMINAL),
                    engine.secret("S1", TERMINAL)).hasWelcome()).isTrue();
        }
    }

    @Test
    void certificateFromAnotherCaIsRefusedInTheHandshake() throws Exception {
        Throwable failure = awaitFailure(client(TERMINAL, strangerCertificate).connect());

        assertThat(failure).isInstanceOf(TerminalConnectionException.class);
    }

    @Test
    void missingClientCertificateIsRefusedInTheHandshake() throws Exception {
        Throwable failure = awaitFailure(client(TERMINAL, null).connect());

        assertThat(failure).isInstanceOf(TerminalConnectionException.class);
    }

    @Test
    void certificateForAnotherTerminalIsAuthenticationFailed() throws Exception {
        // A valid certificate of the chain, but it vouches for T-tls-2, not for this Hello.
        Throwable failure = awaitFailure(client(TERMINAL, otherTerminalCertificate).connect());

        assertThat(failure).isInstanceOfSatisfying(TerminalErrorException.class, error -> {
            assertThat(error.code()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
            assertThat(error.fatal()).isTrue();
        });
    }

    @Test
    void plaintextClientGetsNoSession() throws Exception {
        TerminalClient plain = TerminalClient.create(vertx, new TerminalClientOptions()
                .setPort(engine.port()).setStoreId("S1").setTerminalId(TERMINAL)
                .setSecret(engine.secret("S1", TERMINAL)).setConnectTimeoutMillis(2_000));

        assertThat(awaitFailure(plain.connect())).isNotNull();
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
    }

    private static Throwable awaitFailure(Future<?> future) throws Exception {
        try {
            await(future);
        } catch (ExecutionException failed) {
            return failed.getCause();
        }
        throw new AssertionError("expected a failure");
    }
}
