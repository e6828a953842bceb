package io.kassa.engine.server.checkout;

import io.vertx.core.Future;
import java.time.LocalDate;
import java.time.Month;

/**
 * The port for the durable side of points expiry: each call is one transaction that moves
 * points in the ledger, changes the lots and writes the outbox rows the hot copy applies.
 */
public interface PointsExpiryStore {

    /**
     * Expires lots that stopped being live before {@code today} (a day's grace, so that a hold
     * drawn just before midnight still commits), with one ledger transaction per member.
     *
     * @return the number of lots expired; the job calls again while it is {@code limit}
     */
    Future<Integer> expireDue(LocalDate today, int limit);

    /**
     * Extends, once per year, every live lot of members born in {@code birthMonth} by {@code
     * months}.
     *
     * @return the number of lots extended
     */
    Future<Integer> extendBirthdays(LocalDate today, Month birthMonth, int months, int limit);

    /**
     * Records a reminder for every member with points expiring within {@code days} of today,
     * once per member and expiry date.
     *
     * @return the number of reminders written
     */
    Future<Integer> remindExpiring(LocalDate today, int days);
}
