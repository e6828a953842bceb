-- profile: puts a member's profile as PostgreSQL committed it into the hot copy, unless the
-- hot copy holds that version or a newer one already. PostgreSQL moves a member's
-- profile_version on at every change, so profiles arriving late, twice or out of order, or
-- after the member was reloaded from a newer read, are refused rather than put back.
--
-- KEYS[1] balance hash. ARGV[1] profile version, then field/value pairs as load.lua takes them
-- (tier, trk, life, ord, lod).
-- Replies: {"UPDATED"} | {"NOT_NEWER"} | {"NOT_LOADED"} (nothing to update: the member's next
-- load reads the truth) | {"NO_PROFILE"} (loaded without a profile: left so)

local bal = KEYS[1]
if redis.call('HEXISTS', bal, 'gen') == 0 then
  return {'NOT_LOADED'}
end
local held = redis.call('HGET', bal, 'pv')
if not held then
  return {'NO_PROFILE'}
end
if tonumber(held) >= tonumber(ARGV[1]) then
  return {'NOT_NEWER'}
end
redis.call('HSET', bal, 'pv', ARGV[1])
for i = 2, #ARGV, 2 do
  redis.call('HSET', bal, ARGV[i], ARGV[i + 1])
end
return {'UPDATED'}
