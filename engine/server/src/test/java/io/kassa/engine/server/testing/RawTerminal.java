package io.kassa.engine.server.testing;

import com.google.protobuf.ByteString;
import io.kassa.protocol.FrameEncoder;
import io.kassa.protocol.TerminalAuthentication;
import io.kassa.protocol.v1.AuthProof;
import io.kassa.protocol.v1.BasketLine;
import io.kassa.protocol.v1.CheckoutRequest;
import io.kassa.protocol.v1.Envelope;
import io.kassa.protocol.v1.Hello;
import io.kassa.protocol.v1.Tender;
import io.kassa.protocol.v1.TenderType;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * A terminal reduced to a blocking socket, for tests that must send exactly the bytes they
 * choose — broken frames included — and read exactly what comes back.
 */
public final class RawTerminal implements AutoCloseable {

    private static final int READ_TIMEOUT_MILLIS = 5_000;

    private final Socket socket;
    private final DataInputStream input;
    private final OutputStream output;

    /** Wraps a connected socket (a TLS one, for instance). */
    public static RawTerminal over(Socket socket) throws IOException {
        return new RawTerminal(socket);
    }

    private RawTerminal(Socket socket) throws IOException {
        this.socket = socket;
        this.socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        this.socket.setTcpNoDelay(true);
        this.input = new DataInputStream(socket.getInputStream());
        this.output = socket.getOutputStream();
    }

    public static RawTerminal connect(int port) throws IOException {
        return new RawTerminal(new Socket("127.0.0.1", port));
    }

    /** Connects from {@code localAddress}, e.g. 127.0.0.7, to count as another remote host. */
    public static RawTerminal connect(int port, String localAddress) throws IOException {
        return new RawTerminal(new Socket(java.net.InetAddress.getLoopbackAddress(), port,
                java.net.InetAddress.getByName(localAddress), 0));
    }

    /** A socket that reads through a small window, for tests of a terminal that lags. */
    public static RawTerminal connectWithReceiveBuffer(int port, int receiveBufferBytes)
            throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(receiveBufferBytes);
        socket.connect(new java.net.InetSocketAddress("127.0.0.1", port));
        return new RawTerminal(socket);
    }

    /**
     * Connects and completes the handshake (Hello, AuthChallenge, AuthProof, Welcome) as
     * terminal {@code terminalId} of {@code storeId}, provisioned in {@code engine} on first use.
     * The next request id free is 3.
     */
    public static RawTerminal greeted(TestEngine engine, String storeId, String terminalId)
            throws IOException {
        RawTerminal terminal = connect(engine.port());
        terminal.authenticate(hello(storeId, terminalId), engine.secret(storeId, terminalId));
        return terminal;
    }

    /**
     * Runs the handshake with request ids 1 (Hello) and 2 (AuthProof); returns the Welcome.
     *
     * @throws IllegalStateException with the answer when it is not the expected one
     */
    public Envelope authenticate(Hello hello, byte[] secret) throws IOException {
        Envelope challenge = exchange(Envelope.newBuilder().setRequestId(1).setHello(hello)
                .build());
        if (!challenge.hasAuthChallenge()) {
            throw new IllegalStateException("expected AuthChallenge, got " + challenge);
        }
        Envelope welcome = exchange(proof(2, challenge, hello, secret));
        if (!welcome.hasWelcome()) {
            throw new IllegalStateException("expected Welcome, got " + welcome);
        }
        return welcome;
    }

    /** The AuthProof answering {@code challenge} for {@code hello}'s terminal and store. */
    public static Envelope proof(long requestId, Envelope challenge, Hello hello, byte[] secret) {
        byte[] proof = TerminalAuthentication.proof(secret,
                challenge.getAuthChallenge().getNonce().toByteArray(), hello.getTerminalId(),
                hello.getStoreId());
        return Envelope.newBuilder().setRequestId(requestId)
                .setAuthProof(AuthProof.newBuilder().setProof(ByteString.copyFrom(proof)))
                .build();
    }

    public static Hello hello(String storeId, String terminalId) {
        return Hello.newBuilder().setProtocolVersion(1).setStoreId(storeId)
                .setTerminalId(terminalId).setSoftwareVersion("raw-test").build();
    }

    public static BasketLine line(String sku, String category, long unitPriceFen, int quantity) {
        return BasketLine.newBuilder().setSku(sku).setCategory(category)
                .setUnitPriceFen(unitPriceFen).setQuantity(quantity).build();
    }

    public static CheckoutRequest cashCheckout(String saleId, long payableFen, BasketLine... lines) {
        CheckoutRequest.Builder request = CheckoutRequest.newBuilder().setSaleId(saleId)
                .setCurrency("CNY").addTenders(Tender.newBuilder().setType(TenderType.CASH)
                        .setAmountFen(payableFen).setReceivedFen(payableFen));
        for (BasketLine line : lines) {
            request.addLines(line);
        }
        return request.build();
    }

    public void send(Envelope envelope) throws IOException {
        sendBytes(FrameEncoder.encode(envelope));
    }

    public void sendBytes(byte[] bytes) throws IOException {
        output.write(bytes);
        output.flush();
    }

    /** Sends one frame whose payload is exactly {@code payload}, valid or not. */
    public void sendPayload(byte[] payload) throws IOException {
        byte[] frame = new byte[4 + payload.length];
        frame[0] = (byte) (payload.length >>> 24);
        frame[1] = (byte) (payload.length >>> 16);
        frame[2] = (byte) (payload.length >>> 8);
        frame[3] = (byte) payload.length;
        System.arraycopy(payload, 0, frame, 4, payload.length);
        sendBytes(frame);
    }

    public Envelope receive() throws IOException {
        int length = input.readInt();
        byte[] payload = new byte[length];
        input.readFully(payload);
        return Envelope.parseFrom(payload);
    }

    /** Sends one request and returns the answer. */
    public Envelope exchange(Envelope request) throws IOException {
        send(request);
        return receive();
    }

    /** True when the engine closed the connection (end of stream) within the read timeout. */
    public boolean closedByPeer() throws IOException {
        try {
            return input.read() == -1;
        } catch (EOFException | java.net.SocketException closed) {
            return true;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        }
    }

    /** Sends without waiting for an answer: for pipelining and back-pressure tests. */
    public OutputStream output() {
        return output;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
