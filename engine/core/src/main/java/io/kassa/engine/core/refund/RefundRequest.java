package io.kassa.engine.core.refund;

import java.util.Set;

/** What to refund: the whole order (every line not yet refunded) or some lines. */
public sealed interface RefundRequest {

    record WholeOrder() implements RefundRequest {
    }

    record Lines(Set<Integer> lineNumbers) implements RefundRequest {
        public Lines {
            lineNumbers = Set.copyOf(lineNumbers);
        }
    }

    static RefundRequest wholeOrder() {
        return new WholeOrder();
    }

    static RefundRequest lines(Integer... lineNumbers) {
        return new Lines(Set.of(lineNumbers));
    }
}
