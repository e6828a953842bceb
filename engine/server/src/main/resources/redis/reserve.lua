-- reserve: puts a sale's internal tenders on hold, all or nothing.
--
-- KEYS[1] balance hash   {m}:bal    fields: gen, sv, sv_held, pts_held
-- KEYS[2] lots zset      {m}:lots   member lot id, score expiry (epoch day, exclusive)
-- KEYS[3] lot hash       {m}:lot    lot id -> "points:earnedDay:birthdayYear"
-- KEYS[4] coupons hash   {m}:cpn    coupon id -> "A" | "H:<hold>" | "R:<hold>"
-- KEYS[5] hold hash      {m}:hold:<hold id>
-- ARGV[1] generation the caller believes current
-- ARGV[2] points to hold      ARGV[3] stored value fen to hold
-- ARGV[4] today (epoch day)   ARGV[5] deadline (epoch millis)
-- ARGV[6..] coupon ids
--
-- Replies: {"RESERVED", draws} | {"EXISTS", state, draws} (the hold of this sale, placed in
--          this generation earlier) | {"NOT_LOADED"} |
--          {"STALE_GENERATION", gen} | {"INSUFFICIENT_POINTS", live} |
--          {"INSUFFICIENT_STORED_VALUE", available} | {"COUPON_UNAVAILABLE", id, state}
-- draws: "lotId=points=expiryDay=earnedDay=birthdayYear;..." in spending order.
--
-- Points are drawn at once from the lots that expire first (ties by lot id), so the sale's
-- commit in PostgreSQL records exactly the draws this script made. The hold remembers them;
-- a release puts them back. A hold never expires by itself: only release or commit end it.
-- Amounts are integers below 2^53 (Lua numbers are doubles); they are formatted with %d so
-- that no exponent notation ever reaches a stored value.

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
    return {'EXISTS', state, redis.call('HGET', hold, 'draws') or ''}
  end
  -- A hold of a lost generation means nothing here: its sale either committed before the
  -- generation changed (the member was reloaded with it) or can no longer commit.
  redis.call('DEL', hold)
end

local points = tonumber(ARGV[2])
local storedValue = tonumber(ARGV[3])
local today = tonumber(ARGV[4])

local available = tonumber(redis.call('HGET', bal, 'sv') or '0')
if storedValue > available then
  return {'INSUFFICIENT_STORED_VALUE', tostring(available)}
end

for i = 6, #ARGV do
  local couponState = redis.call('HGET', cpn, ARGV[i])
  if couponState ~= 'A' then
    return {'COUPON_UNAVAILABLE', ARGV[i], couponState or 'UNKNOWN'}
  end
end

-- Live lots expire strictly after today.
local live = redis.call('ZRANGEBYSCORE', lots, '(' .. today, '+inf', 'WITHSCORES')
local liveTotal = 0
local parsed = {}
for i = 1, #live, 2 do
  local id, expiry = live[i], live[i + 1]
  local value = redis.call('HGET', lot, id)
  local remaining, earned, birthday = string.match(value, '^(%d+):(%-?%d+):(%d+)$')
  remaining = tonumber(remaining)
  liveTotal = liveTotal + remaining
  parsed[#parsed + 1] = {id, remaining, expiry, earned, birthday}
end
if points > liveTotal then
  return {'INSUFFICIENT_POINTS', tostring(liveTotal)}
end

local draws = {}
local left = points
for _, entry in ipairs(parsed) do
  if left == 0 then
    break
  end
  local id, remaining, expiry, earned, birthday =
      entry[1], entry[2], entry[3], entry[4], entry[5]
  local taken = math.min(left, remaining)
  left = left - taken
  if remaining - taken == 0 then
    redis.call('HDEL', lot, id)
    redis.call('ZREM', lots, id)
  else
    redis.call('HSET', lot, id,
        string.format('%d', remaining - taken) .. ':' .. earned .. ':' .. birthday)
  end
  draws[#draws + 1] = id .. '=' .. string.format('%d', taken) .. '=' .. expiry .. '='
      .. earned .. '=' .. birthday
end

if storedValue > 0 then
  redis.call('HINCRBY', bal, 'sv', -storedValue)
  redis.call('HINCRBY', bal, 'sv_held', storedValue)
end
if points > 0 then
  redis.call('HINCRBY', bal, 'pts_held', points)
end

local coupons = {}
for i = 6, #ARGV do
  redis.call('HSET', cpn, ARGV[i], 'H:' .. KEYS[5])
  coupons[#coupons + 1] = ARGV[i]
end

local drawList = table.concat(draws, ';')
redis.call('HSET', hold, 'st', 'H', 'pts', points, 'sv', storedValue,
    'draws', drawList, 'cpn', table.concat(coupons, ','), 'dl', ARGV[5], 'gen', gen)
return {'RESERVED', drawList}
