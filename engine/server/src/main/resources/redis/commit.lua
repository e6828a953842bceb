-- commit: a hold becomes final after its sale committed in PostgreSQL. Idempotent.
--
-- KEYS as for reserve.lua.
-- ARGV[1] today (epoch day): lots live after it restart their clock when ARGV[2] > 0
-- ARGV[2] rolling restart expiry (epoch day), 0 when the policy does not restart on use
-- ARGV[3] retention of the finished hold record (seconds), for idempotent replays
-- ARGV[4..] earned lots as triples: lot id, points, expiry day, earned day
--
-- Replies: {"COMMITTED"} | {"ALREADY_COMMITTED"} | {"NO_HOLD"} | {"RELEASED"}
-- NO_HOLD means this Redis never saw the hold or lost it: the member's state was (or will be)
-- rebuilt from PostgreSQL, which already holds this sale's effects, so there is nothing to do.
-- RELEASED means the hold was released although the sale committed: a fencing bug. The
-- caller reports it loudly and the reconciler repairs the member from PostgreSQL.

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
if state == 'C' then
  return {'ALREADY_COMMITTED'}
end
if state == 'R' then
  return {'RELEASED'}
end

local points = tonumber(redis.call('HGET', hold, 'pts'))
local storedValue = tonumber(redis.call('HGET', hold, 'sv'))
if points > 0 then
  redis.call('HINCRBY', bal, 'pts_held', -points)
end
if storedValue > 0 then
  redis.call('HINCRBY', bal, 'sv_held', -storedValue)
end

local coupons = redis.call('HGET', hold, 'cpn')
for id in string.gmatch(coupons, '[^,]+') do
  redis.call('HSET', cpn, id, 'R:' .. KEYS[5])
end

local today = tonumber(ARGV[1])
local restart = tonumber(ARGV[2])
if restart > 0 then
  -- Rolling expiry: every live lot expiring before the restart date now expires then.
  local live = redis.call('ZRANGEBYSCORE', lots, '(' .. today, '(' .. restart)
  for _, id in ipairs(live) do
    redis.call('ZADD', lots, 'XX', restart, id)
  end
end

for i = 4, #ARGV, 4 do
  local id, earnedPoints, expiry, earned = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3]
  redis.call('HSET', lot, id, earnedPoints .. ':' .. earned .. ':0')
  redis.call('ZADD', lots, expiry, id)
end

redis.call('HSET', hold, 'st', 'C')
redis.call('EXPIRE', hold, tonumber(ARGV[3]))
return {'COMMITTED'}
