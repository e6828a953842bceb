-- refund_commit: a refund committed in PostgreSQL reaches the hot copy: its clawback hold
-- becomes final, and the points, stored value and coupons it gives back become spendable.
-- Idempotent (the hold's state says whether it already ran).
--
-- KEYS as for reserve.lua (the hold is the refund's).
-- ARGV[1] retention of the finished hold record (seconds)
-- ARGV[2] stored value given back (fen)
-- ARGV[3] number of lots L that gain points
-- ARGV[4 .. 4+4L-1] quadruples: lot id, points added, expiry day, "earnedDay:birthdayYear"
--         (a lot the hot copy no longer has, because it was emptied, is recreated so)
-- then coupon ids given back
--
-- Replies: {"COMMITTED"} | {"ALREADY_COMMITTED"} | {"NO_HOLD"} | {"RELEASED"}
-- NO_HOLD: this Redis never saw the hold or it belongs to a lost generation; the member is
-- (re)loaded from PostgreSQL, which holds the refund already. RELEASED: the refund was
-- abandoned although it committed, a fencing bug, reported by the caller.

local bal, lots, lot, cpn, hold = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]

local state = redis.call('HGET', hold, 'st')
if not state then
  return {'NO_HOLD'}
end
if redis.call('HGET', hold, 'gen') ~= redis.call('HGET', bal, 'gen') then
  return {'NO_HOLD'}
end
if state == 'C' then
  return {'ALREADY_COMMITTED'}
end
if state == 'R' then
  return {'RELEASED'}
end

local points = tonumber(redis.call('HGET', hold, 'pts'))
if points > 0 then
  redis.call('HINCRBY', bal, 'pts_held', -points)
end

local storedValue = tonumber(ARGV[2])
if storedValue > 0 then
  redis.call('HINCRBY', bal, 'sv', storedValue)
end

local lotCount = tonumber(ARGV[3])
local index = 4
for _ = 1, lotCount do
  local id, added, expiry, dates = ARGV[index], tonumber(ARGV[index + 1]), ARGV[index + 2],
      ARGV[index + 3]
  local value = redis.call('HGET', lot, id)
  if value then
    local remaining, rest = string.match(value, '^(%d+):(.*)$')
    redis.call('HSET', lot, id, string.format('%d', tonumber(remaining) + added) .. ':' .. rest)
  else
    redis.call('HSET', lot, id, string.format('%d', added) .. ':' .. dates)
    redis.call('ZADD', lots, expiry, id)
  end
  index = index + 4
end

while index <= #ARGV do
  redis.call('HSET', cpn, ARGV[index], 'A')
  index = index + 1
end

redis.call('HSET', hold, 'st', 'C')
redis.call('EXPIRE', hold, tonumber(ARGV[1]))
return {'COMMITTED'}
