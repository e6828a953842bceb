package io.kassa.engine.server.terminal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.InvalidProtocolBufferException;
import io.kassa.protocol.v1.CheckoutStatus;
import io.kassa.protocol.v1.ErrorCode;
import io.kassa.protocol.v1.PaymentUpdate;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

/**
 * A payment update on its way to the node its terminal is on: what goes over the event bus
 * comes back the same, and a damaged hand-over is refused rather than pushed.
 */
class PaymentUpdateHandOverTest {

    static final PaymentUpdate FAILED = PaymentUpdate.newBuilder().setSaleId("S042-000125")
            .setStatus(CheckoutStatus.PAYMENT_FAILED).setErrorCode(ErrorCode.PAYMENT_DECLINED)
            .setMessage("declined").build();

    @Test
    void aHandOverComesBackAsItWent() throws Exception {
        TerminalPaymentUpdates.HandOver sent =
                new TerminalPaymentUpdates.HandOver("T-收银-01", FAILED);
        assertThat(TerminalPaymentUpdates.HandOver.decode(sent.encode())).isEqualTo(sent);
        assertThat(TerminalPaymentUpdates.address("kassa-2"))
                .isEqualTo("kassa.node.kassa-2.payment-updates");
    }

    @Test
    void aDamagedHandOverIsRefused() {
        Buffer good = new TerminalPaymentUpdates.HandOver("T-1", FAILED).encode();
        assertThatThrownBy(() -> TerminalPaymentUpdates.HandOver.decode(
                Buffer.buffer().appendInt(0).appendBytes(FAILED.toByteArray())))
                .as("no terminal id").isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TerminalPaymentUpdates.HandOver.decode(
                Buffer.buffer().appendInt(10_000).appendString("T-1")))
                .as("an id longer than the buffer").isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TerminalPaymentUpdates.HandOver.decode(
                good.getBuffer(0, good.length() - 3)))
                .as("a truncated update").isInstanceOf(InvalidProtocolBufferException.class);
    }
}
