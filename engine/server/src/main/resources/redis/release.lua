-- release: gives a hold's points, stored value and coupons back. Idempotent.
-- Called only after the sale is fenced in PostgreSQL (it can no longer commit), never because
-- a key expired: a hold left alone stays held.
--
-- KEYS as for reserve.lua. ARGV[1] retention of the finished hold record (seconds).
-- Replies: {"RELEASED"} | {"ALREADY_RELEASED"} | {"NO_HOLD"} | {"COMMITTED"}

local bal, lots, lot, cpn, hold = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]

local state = redis.call('HGET', hold, 'st')
if not state then
  return {'NO_HOLD'}
end
if redis.call('HGET', hold, 'gen') ~= redis.call('HGET', bal, 'gen') then
  -- The hold belongs to a lost generation; the member's state was reloaded from PostgreSQL
  -- since, so this hold's amounts are not in it to move.
  return {'NO_HOLD'}
end
if state == 'R' then
  return {'ALREADY_RELEASED'}
end
if state == 'C' then
  return {'COMMITTED'}
end

local points = tonumber(redis.call('HGET', hold, 'pts'))
local storedValue = tonumber(redis.call('HGET', hold, 'sv'))
if storedValue > 0 then
  redis.call('HINCRBY', bal, 'sv', storedValue)
  redis.call('HINCRBY', bal, 'sv_held', -storedValue)
end
if points > 0 then
  redis.call('HINCRBY', bal, 'pts_held', -points)
end

local draws = redis.call('HGET', hold, 'draws')
for id, taken, expiry, earned, birthday in
    string.gmatch(draws, '([^=;]+)=(%d+)=(%-?%d+)=(%-?%d+)=(%d+)') do
  local value = redis.call('HGET', lot, id)
  if value then
    local remaining = tonumber(string.match(value, '^(%d+):'))
    redis.call('HSET', lot, id,
        string.format('%d', remaining + tonumber(taken)) .. ':' .. earned .. ':' .. birthday)
  else
    redis.call('HSET', lot, id, taken .. ':' .. earned .. ':' .. birthday)
    redis.call('ZADD', lots, expiry, id)
  end
end

local coupons = redis.call('HGET', hold, 'cpn')
local heldBy = 'H:' .. KEYS[5]
for id in string.gmatch(coupons, '[^,]+') do
  if redis.call('HGET', cpn, id) == heldBy then
    redis.call('HSET', cpn, id, 'A')
  end
end

redis.call('HSET', hold, 'st', 'R')
redis.call('EXPIRE', hold, tonumber(ARGV[1]))
return {'RELEASED'}
