-- A member's coupons are read in every state but VOID when the member's hot copy is loaded
-- into Redis (PgMemberDirectory.COUPON_STATES: a member's first sale after a Redis rebuild, and
-- every reconciliation). The partial index of V2 covers AVAILABLE coupons only, so that read
-- scanned the whole coupon table: 6 ms at 20,000 coupons, a full scan per member at a chain's
-- millions. One index on (member_id, state) serves it and the lookup of available coupons.
create index coupon_member_state on coupon (member_id, state);
drop index coupon_member;
