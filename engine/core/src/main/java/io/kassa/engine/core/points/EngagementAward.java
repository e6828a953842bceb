package io.kassa.engine.core.points;

/** Points to credit to one member for an engagement event. */
public record EngagementAward(String memberId, long points, String reason) {
}
