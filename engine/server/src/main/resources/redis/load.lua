-- load: installs a member's state read from PostgreSQL, unless the member is already loaded
-- in this generation (another node got there first; its copy is at least as fresh, since no
-- sale of this member can commit in this generation before the member is loaded).
--
-- KEYS[1..4] balance, lots, lot, coupons (as for reserve.lua); KEYS[5] coupon terms {m}:cpi
-- ARGV[1] generation  ARGV[2] stored value fen  ARGV[3] number of lots L
-- ARGV[4 .. 4+4L-1] lots as quadruples: id, points, expiry day, "earnedDay:birthdayYear"
-- then the number of coupons C, and C triples: coupon id, state ("A" or "R:<order>"), terms
-- ("fromMillis:untilMillis:amountOffFen:templateId", "" when not known)
-- then the profile as field/value pairs for the balance hash (pv, mc, ph, tier, trk, life,
-- ord, lod, bm: see RedisMemberBalances), none when the caller has no profile to give
-- Replies: {"LOADED"} | {"ALREADY_LOADED"}

local bal, lots, lot, cpn, cpi = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local gen = redis.call('HGET', bal, 'gen')
if gen == ARGV[1] then
  return {'ALREADY_LOADED'}
end
redis.call('DEL', bal, lots, lot, cpn, cpi)
redis.call('HSET', bal, 'gen', ARGV[1], 'sv', ARGV[2], 'sv_held', 0, 'pts_held', 0)
local lotCount = tonumber(ARGV[3])
local index = 4
for _ = 1, lotCount do
  local id, points, expiry, dates = ARGV[index], ARGV[index + 1], ARGV[index + 2],
      ARGV[index + 3]
  redis.call('HSET', lot, id, points .. ':' .. dates)
  redis.call('ZADD', lots, expiry, id)
  index = index + 4
end
local couponCount = tonumber(ARGV[index])
index = index + 1
for _ = 1, couponCount do
  redis.call('HSET', cpn, ARGV[index], ARGV[index + 1])
  if ARGV[index + 2] ~= '' then
    redis.call('HSET', cpi, ARGV[index], ARGV[index + 2])
  end
  index = index + 3
end
while index < #ARGV do
  redis.call('HSET', bal, ARGV[index], ARGV[index + 1])
  index = index + 2
end
return {'LOADED'}
