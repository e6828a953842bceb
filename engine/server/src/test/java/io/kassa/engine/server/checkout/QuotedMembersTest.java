package io.kassa.engine.server.checkout;

import static org.assertj.core.api.Assertions.assertThat;

import io.kassa.engine.server.checkout.MemberDirectory.MemberWithCoupons;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A quote's view of its member serves the sale's later quotes and its one checkout, at the
 * same store only, and no longer than its time to live.
 */
class QuotedMembersTest {

    private static final MemberWithCoupons ANNA = new MemberWithCoupons(new MemberProfile(
            "m-anna", "code-anna", "GOLD", 1_200, Optional.empty(), 3, Optional.empty()),
            List.of());

    @Test
    void quotesPeekAndTheCheckoutTakesTheViewOnce() {
        QuotedMembers views = new QuotedMembers();
        views.keep("store-1", "code-anna", ANNA);

        assertThat(views.peek("store-1", "code-anna")).contains(ANNA);
        assertThat(views.peek("store-1", "code-anna")).contains(ANNA);
        assertThat(views.take("store-1", "code-anna")).contains(ANNA);
        assertThat(views.take("store-1", "code-anna")).isEmpty();
        assertThat(views.peek("store-1", "code-anna")).isEmpty();
    }

    @Test
    void anotherStoreOrAnotherCodeFindsNothing() {
        QuotedMembers views = new QuotedMembers();
        views.keep("store-1", "code-anna", ANNA);

        assertThat(views.peek("store-2", "code-anna")).isEmpty();
        assertThat(views.take("store-1", "phone-anna")).isEmpty();
        assertThat(views.peek("store-1", "code-anna")).contains(ANNA);
    }

    @Test
    void aDroppedViewIsGone() {
        QuotedMembers views = new QuotedMembers();
        views.keep("store-1", "code-anna", ANNA);
        views.drop("store-1", "code-anna");
        assertThat(views.take("store-1", "code-anna")).isEmpty();
        assertThat(views.size()).isZero();
    }

    @Test
    void aViewPastItsTimeToLiveServesNothingAndLeavesOnTheNextKeep() throws Exception {
        QuotedMembers views = new QuotedMembers(Duration.ofMillis(1));
        views.keep("store-1", "code-anna", ANNA);
        Thread.sleep(5);

        assertThat(views.peek("store-1", "code-anna")).isEmpty();
        assertThat(views.size()).isEqualTo(1);
        views.keep("store-1", "code-bob", ANNA);
        // The expired view left when the next one came; the new one is still there.
        assertThat(views.size()).isEqualTo(1);
        assertThat(views.take("store-1", "code-anna")).isEmpty();
    }
}
