package io.kassa.engine.server.checkout;

/**
 * The hot copy of balances this sale's holds were made in was lost and is being rebuilt: the
 * sale cannot commit on those holds. Nothing was written; the terminal retries shortly and
 * reserves afresh in the rebuilt copy.
 */
public final class HotCopyLostException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public HotCopyLostException(String message) {
        super(message);
    }
}
