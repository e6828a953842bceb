package io.kassa.engine.server.testing;

import io.kassa.protocol.FrameEncoder;
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

    /** Connects and completes Hello/Welcome as terminal {@code terminalId} of {@code storeId}. */
    public static RawTerminal greeted(int port, String storeId, String terminalId)
            throws IOException {
        RawTerminal terminal = connect(port);
        terminal.send(Envelope.newBuilder().setRequestId(1).setHello(hello(storeId, terminalId))
                .build());
        Envelope welcome = terminal.receive();
        if (!welcome.hasWelcome()) {
            throw new IllegalStateException("expected Welcome, got " + welcome);
        }
        return terminal;
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

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
