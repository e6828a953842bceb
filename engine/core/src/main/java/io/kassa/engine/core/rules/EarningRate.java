package io.kassa.engine.core.rules;

import io.kassa.engine.core.money.Rational;
import java.util.Objects;

/**
 * How a category earns points at checkout: per yuan of its earning base, a fixed number per
 * item, or nothing at all.
 */
public sealed interface EarningRate {

    /** Points per yuan, exact: 1 (default), 1/2 (fresh food), 2 (high-margin goods). */
    record PerYuan(Rational pointsPerYuan) implements EarningRate {
        public PerYuan {
            Objects.requireNonNull(pointsPerYuan, "pointsPerYuan");
        }
    }

    /** A fixed number of points per item sold (apparel 10, shoes 20). */
    record PerItem(long pointsPerItem) implements EarningRate {
    }

    /** The category earns no points (tobacco). */
    record Excluded() implements EarningRate {
    }

    static EarningRate perYuan(Rational pointsPerYuan) {
        return new PerYuan(pointsPerYuan);
    }

    static EarningRate perItem(long pointsPerItem) {
        return new PerItem(pointsPerItem);
    }

    static EarningRate excluded() {
        return new Excluded();
    }

    /** A short description for explanations: "1 point/yuan", "10 points/item", "no points". */
    default String describe() {
        if (this instanceof PerYuan perYuan) {
            return perYuan.pointsPerYuan() + " point/yuan";
        }
        if (this instanceof PerItem perItem) {
            return perItem.pointsPerItem() + " points/item";
        }
        return "no points";
    }
}
