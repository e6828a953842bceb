-- expire: removes lots the ledger has expired. A lot still live (its expiry after ARGV[1])
-- is kept: expiry never takes points a member can still spend.
-- KEYS[1..4] balance, lots, lot, coupons. ARGV[1] today (epoch day), ARGV[2..] lot ids.
-- Reply: number of lots removed.

local lots, lot = KEYS[2], KEYS[3]
local today = tonumber(ARGV[1])
local removed = 0
for i = 2, #ARGV do
  local expiry = redis.call('ZSCORE', lots, ARGV[i])
  if expiry and tonumber(expiry) <= today then
    redis.call('ZREM', lots, ARGV[i])
    redis.call('HDEL', lot, ARGV[i])
    removed = removed + 1
  end
end
return removed
