package io.kassa.engine.core.points;

/**
 * Earned points taken back after a refund: {@code taken} came out of the wallet; {@code
 * shortfall} could not, because the member had already spent them.
 */
public record PointsClawback(PointsWallet wallet, long taken, long shortfall) {
}
