-- read: a member's hot state in one round trip, for quotes and for the reconciler.
-- KEYS[1..4] balance, lots, lot, coupons. ARGV none.
-- Reply: {gen or "", sv, sv_held, pts_held, {lot id, "points:earned:birthday", expiry, ...},
--         {coupon id, state, ...}}

local bal, lots, lot, cpn = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
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
return {gen, values[1], values[2], values[3], lotList, redis.call('HGETALL', cpn)}
