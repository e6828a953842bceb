-- read: a member's hot state in one round trip, for quotes, checkouts and the reconciler.
-- KEYS[1..4] balance, lots, lot, coupons; KEYS[5] coupon terms. KEYS[6], optional: a sale's
-- hold, read in the same atomic step (a checkout retry is judged on what its first attempt
-- holds). ARGV none.
-- Reply: {gen or "", sv, sv_held, pts_held, {lot id, "points:earned:birthday", expiry, ...},
--         {coupon id, state, ...}, {pv, mc, ph, tier, trk, life, ord, lod, bm},
--         {coupon id, terms, ...}[, {st, pts, sv, draws, cpn, gen} of the hold]}
-- The profile's fields are all nil when the member was loaded without one.
-- A member not loaded answers {""} alone: the caller loads it and reads again.

local bal, lots, lot, cpn, cpi, hold = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]
local gen = redis.call('HGET', bal, 'gen')
if not gen then
  return {''}
end
local values = redis.call('HMGET', bal, 'sv', 'sv_held', 'pts_held')
local ordered = redis.call('ZRANGE', lots, 0, -1, 'WITHSCORES')
local lotList = {}
for i = 1, #ordered, 2 do
  lotList[#lotList + 1] = ordered[i]
  lotList[#lotList + 1] = redis.call('HGET', lot, ordered[i])
  lotList[#lotList + 1] = ordered[i + 1]
end
local reply = {gen, values[1], values[2], values[3], lotList, redis.call('HGETALL', cpn),
  redis.call('HMGET', bal, 'pv', 'mc', 'ph', 'tier', 'trk', 'life', 'ord', 'lod', 'bm'),
  redis.call('HGETALL', cpi)}
if hold then
  reply[9] = redis.call('HMGET', hold, 'st', 'pts', 'sv', 'draws', 'cpn', 'gen')
end
return reply
