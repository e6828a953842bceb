-- quota_settle: tells a chain-wide quota what PostgreSQL decided about a held unit, or seeds
-- its count from PostgreSQL's. Within a generation the committed count only rises: PostgreSQL's
-- count never falls, and a settle that arrives late must not undo a newer one.
--
-- KEYS[1..3] as for quota_take.lua
-- ARGV[1] exchange id ('' to seed)  ARGV[2] COMMITTED | RELEASED | SOLD_OUT | SEED
-- ARGV[3] count: PostgreSQL's taken (COMMITTED, SEED) or the stock (SOLD_OUT); unused else
-- ARGV[4] the hot copy's generation
-- Reply: the committed count after the settle, -1 when the quota is not known in ARGV[4]

local state, holds, done = KEYS[1], KEYS[2], KEYS[3]
local exchange, mode, count, generation = ARGV[1], ARGV[2], tonumber(ARGV[3]), ARGV[4]
if exchange ~= '' then
  redis.call('ZREM', holds, exchange)
end
local quota = redis.call('HMGET', state, 'gen', 'committed')
if mode == 'SEED' then
  if quota[1] ~= generation or not quota[2] then
    -- A new count: holds and done ids of another generation describe another truth.
    redis.call('DEL', state, holds, done)
    redis.call('HSET', state, 'gen', generation, 'committed', count)
    return count
  end
elseif quota[1] ~= generation or not quota[2] then
  -- Lost or replaced since the take: the next take seeds it from PostgreSQL.
  return -1
end
local committed = tonumber(quota[2])
if mode == 'COMMITTED' then
  redis.call('SADD', done, exchange)
end
if mode ~= 'RELEASED' and count > committed then
  redis.call('HSET', state, 'committed', count)
  return count
end
return committed
