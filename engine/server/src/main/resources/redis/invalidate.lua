-- invalidate: drops a member's hot copy after an administrative change was committed in
-- PostgreSQL (points adjustment, stored-value top-up, coupon issuance, registration), so that
-- the next quote or checkout loads the member afresh from the truth. Idempotent: dropping a
-- dropped member changes nothing, and a load in between read the truth already.
--
-- Refused while a sale of the member is in flight (points, stored value or a coupon held):
-- dropping the balances would lose the holds. The outbox relay retries the row a moment later.
--
-- KEYS[1..4] balance, lots, lot, coupons (as for reserve.lua); KEYS[5] coupon terms
-- Replies: {"INVALIDATED"} | {"NOT_LOADED"} | {"BUSY"}

local bal, lots, lot, cpn, cpi = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
if redis.call('HEXISTS', bal, 'gen') == 0 then
  return {'NOT_LOADED'}
end
local held = redis.call('HMGET', bal, 'sv_held', 'pts_held')
if tonumber(held[1] or '0') > 0 or tonumber(held[2] or '0') > 0 then
  return {'BUSY'}
end
local states = redis.call('HVALS', cpn)
for _, state in ipairs(states) do
  if string.sub(state, 1, 1) == 'H' then
    return {'BUSY'}
  end
end
redis.call('DEL', bal, lots, lot, cpn, cpi)
return {'INVALIDATED'}
