-- read: a member's hot state in one round trip, for quotes, checkouts and the reconciler.
-- KEYS[1..4] balance, lots, lot, coupons. KEYS[5], optional: a sale's hold, read in the same
-- atomic step (a checkout retry is judged on what its first attempt holds). ARGV none.
-- Reply: {gen or "", sv, sv_held, pts_held, {lot id, "points:earned:birthday", expiry, ...},
--         {coupon id, state, ...}[, {st, pts, sv, draws, cpn, gen} of the hold]}
-- A member not loaded answers {""} alone: the caller loads it and reads again.

local bal, lots, lot, cpn, hold = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
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
local reply = {gen, values[1], values[2], values[3], lotList, redis.call('HGETALL', cpn)}
if hold then
  reply[7] = redis.call('HMGET', hold, 'st', 'pts', 'sv', 'draws', 'cpn', 'gen')
end
return reply
