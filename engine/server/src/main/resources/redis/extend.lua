-- extend: moves lots' expiry later (the birthday extension), never earlier, and records the
-- year of the extension on the lot.
-- KEYS[1..4] balance, lots, lot, coupons. ARGV[1] year, then pairs: lot id, new expiry day.
-- Reply: number of lots extended.

local lots, lot = KEYS[2], KEYS[3]
local extended = 0
for i = 2, #ARGV, 2 do
  local id, expiry = ARGV[i], tonumber(ARGV[i + 1])
  local current = redis.call('ZSCORE', lots, id)
  local value = redis.call('HGET', lot, id)
  if current and value and tonumber(current) < expiry then
    redis.call('ZADD', lots, 'XX', expiry, id)
    local points, earned = string.match(value, '^(%d+):(%-?%d+):')
    redis.call('HSET', lot, id, points .. ':' .. earned .. ':' .. ARGV[1])
    extended = extended + 1
  end
end
return extended
