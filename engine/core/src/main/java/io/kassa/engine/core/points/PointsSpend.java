package io.kassa.engine.core.points;

import java.util.List;

/** The wallet after spending, and which lots the points came from, first-expiring first. */
public record PointsSpend(PointsWallet wallet, List<LotDraw> draws) {

    public PointsSpend {
        draws = List.copyOf(draws);
    }

    public long points() {
        long sum = 0;
        for (LotDraw draw : draws) {
            sum = Math.addExact(sum, draw.points());
        }
        return sum;
    }
}
