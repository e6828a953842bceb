-- load: installs a member's state read from PostgreSQL, unless the member is already loaded
-- in this generation (another node got there first; its copy is at least as fresh, since no
-- sale of this member can commit in this generation before the member is loaded).
--
-- KEYS[1..4] balance, lots, lot, coupons (as for reserve.lua)
-- ARGV[1] generation  ARGV[2] stored value fen  ARGV[3] number of lots L
-- ARGV[4 .. 4+4L-1] lots as quadruples: id, points, expiry day, "earnedDay:birthdayYear"
-- then pairs: coupon id, state ("A" or "R:<order>")
-- Replies: {"LOADED"} | {"ALREADY_LOADED"}

local bal, lots, lot, cpn = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local gen = redis.call('HGET', bal, 'gen')
if gen == ARGV[1] then
  return {'ALREADY_LOADED'}
end
redis.call('DEL', bal, lots, lot, cpn)
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
while index <= #ARGV do
  redis.call('HSET', cpn, ARGV[index], ARGV[index + 1])
  index = index + 2
end
return {'LOADED'}
