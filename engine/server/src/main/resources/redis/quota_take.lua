-- quota_take: holds one unit of a chain-wide quota (a limited gift) for an exchange, if one is
-- left. Units are counted as what PostgreSQL committed (as last told) plus the holds not yet
-- settled; a hold ends by itself at its deadline, so a node that dies between the two stores
-- loses its unit for that long only. PostgreSQL's check (taken <= stock) has the last word:
-- this script only refuses early (docs/adr/0011-chain-wide-quotas.md).
--
-- KEYS[1] kassa:quota:{offer:<id>}        hash  gen, committed
-- KEYS[2] kassa:quota:{offer:<id>}:holds  zset  exchange id -> hold deadline (epoch millis)
-- KEYS[3] kassa:quota:{offer:<id>}:done   set   exchange ids known committed
-- ARGV[1] exchange id  ARGV[2] stock  ARGV[3] now (epoch millis)  ARGV[4] hold deadline
-- ARGV[5] the hot copy's generation (docs/adr/0006): a count kept in another generation
--         describes another PostgreSQL truth (or none) and is not used
-- Replies: {'UNKNOWN'} | {'DONE'} | {'TAKEN', committed, held}
--          | {'SOLD_OUT', complete (1: every committed id is in the done set), committed, held}

local state, holds, done = KEYS[1], KEYS[2], KEYS[3]
local exchange = ARGV[1]
local quota = redis.call('HMGET', state, 'gen', 'committed')
if quota[1] ~= ARGV[5] or not quota[2] then
  -- Never seeded, lost with Redis, or of another generation: the caller seeds it from
  -- PostgreSQL and asks again.
  return {'UNKNOWN'}
end
if redis.call('SISMEMBER', done, exchange) == 1 then
  return {'DONE'}
end
local committed = tonumber(quota[2])
redis.call('ZREMRANGEBYSCORE', holds, '-inf', ARGV[3])
local mine = redis.call('ZSCORE', holds, exchange)
local held = redis.call('ZCARD', holds)
if not mine and committed + held >= tonumber(ARGV[2]) then
  local complete = 0
  if redis.call('SCARD', done) >= committed then
    complete = 1
  end
  return {'SOLD_OUT', complete, committed, held}
end
-- A retry of an exchange still in flight shares its hold (one unit per exchange id).
redis.call('ZADD', holds, ARGV[4], exchange)
if not mine then
  held = held + 1
end
return {'TAKEN', committed, held}
