package io.kassa.engine.core.points;

/** The wallet after dropping the lots that expired, and how many points they held. */
public record PointsExpiry(PointsWallet wallet, long expiredPoints) {
}
