-- refund_reserve: takes back from a member's lots the points a refund claws back, as a hold,
-- before the refund is committed in PostgreSQL, so that no sale can spend them meanwhile.
-- The hold has the shape reserve.lua gives holds (no stored value, no coupons), so that
-- release.lua gives the points back if the refund is abandoned.
--
-- KEYS as for reserve.lua (the hold is the refund's).
-- ARGV[1] generation the caller believes current
-- ARGV[2..] pairs: lot id, points to take from it (the refund's computed clawback per lot)
--
-- Replies: {"RESERVED"} | {"EXISTS", state} (this refund's hold, placed earlier in this
--          generation) | {"NOT_LOADED"} | {"STALE_GENERATION", gen} |
--          {"CHANGED", lot id} (a lot no longer holds what the refund was computed on: a sale
--          spent it meanwhile; the caller recomputes)

local bal, lots, lot, cpn, hold = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]

local gen = redis.call('HGET', bal, 'gen')
if not gen then
  return {'NOT_LOADED'}
end
if gen ~= ARGV[1] then
  return {'STALE_GENERATION', gen}
end

local state = redis.call('HGET', hold, 'st')
if state then
  if redis.call('HGET', hold, 'gen') == gen then
    return {'EXISTS', state}
  end
  redis.call('DEL', hold)
end

local parsed = {}
for i = 2, #ARGV, 2 do
  local id, taken = ARGV[i], tonumber(ARGV[i + 1])
  local value = redis.call('HGET', lot, id)
  if not value then
    return {'CHANGED', id}
  end
  local remaining, earned, birthday = string.match(value, '^(%d+):(%-?%d+):(%d+)$')
  remaining = tonumber(remaining)
  if remaining < taken then
    return {'CHANGED', id}
  end
  parsed[#parsed + 1] = {id, taken, remaining, earned, birthday,
      redis.call('ZSCORE', lots, id)}
end

local draws = {}
local total = 0
for _, entry in ipairs(parsed) do
  local id, taken, remaining, earned, birthday, expiry =
      entry[1], entry[2], entry[3], entry[4], entry[5], entry[6]
  if remaining - taken == 0 then
    redis.call('HDEL', lot, id)
    redis.call('ZREM', lots, id)
  else
    redis.call('HSET', lot, id,
        string.format('%d', remaining - taken) .. ':' .. earned .. ':' .. birthday)
  end
  total = total + taken
  draws[#draws + 1] = id .. '=' .. string.format('%d', taken) .. '=' .. expiry .. '='
      .. earned .. '=' .. birthday
end

if total > 0 then
  redis.call('HINCRBY', bal, 'pts_held', total)
end
redis.call('HSET', hold, 'st', 'H', 'pts', string.format('%d', total), 'sv', 0,
    'draws', table.concat(draws, ';'), 'cpn', '', 'dl', 0, 'gen', gen)
return {'RESERVED'}
