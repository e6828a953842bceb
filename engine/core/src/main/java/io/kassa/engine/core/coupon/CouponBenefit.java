package io.kassa.engine.core.coupon;

import io.kassa.engine.core.money.Rational;
import java.util.Objects;

/** What a coupon takes off its eligible lines. */
public sealed interface CouponBenefit {

    /** A fixed amount off, at most the eligible lines' net. */
    record AmountOff(long amountFen) implements CouponBenefit {
    }

    /**
     * A share of the eligible lines' net off, rounded down to the fen, at most {@code capFen}.
     *
     * @param offShare 1/5 for 8折 (20% off)
     */
    record PercentOff(Rational offShare, long capFen) implements CouponBenefit {

        /** No cap beyond the eligible net itself. */
        public static final long NO_CAP = Long.MAX_VALUE;

        public PercentOff {
            Objects.requireNonNull(offShare, "offShare");
        }
    }

    /** The discount on eligible lines whose current net is {@code eligibleNetFen}. */
    default long discountFen(long eligibleNetFen) {
        if (this instanceof AmountOff amountOff) {
            return Math.min(amountOff.amountFen(), eligibleNetFen);
        }
        PercentOff percentOff = (PercentOff) this;
        long discount = Rational.of(eligibleNetFen).times(percentOff.offShare()).floorExact();
        return Math.min(Math.min(discount, percentOff.capFen()), eligibleNetFen);
    }
}
