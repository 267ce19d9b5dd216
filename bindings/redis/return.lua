-- Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
--
-- Gives units a node did not sell back to a flash sale's central stock, once.
--   KEYS[1]  the sale's remaining stock (an integer string)
--   KEYS[2]  the sale's lease ledger (a hash)
--   ARGV[1]  node id (as for lease.lua)
--   ARGV[2]  the node's return sequence number (decimal, 1..2^53)
--   ARGV[3]  units given back (decimal, 1..2^32-1)
-- Returns the units taken back. Recorded as ledger field "r:<node>:<seq>";
-- asking again with the same (node, seq) returns the recorded count and
-- adds nothing. A node can never give back more than it was granted and has
-- not yet given back (ledger "ng:<node>" - "nr:<node>"): such a return is
-- refused with an error and changes nothing, so a confused node cannot
-- create units.
local function count(s, max)
  if type(s) ~= 'string' or not string.match(s, '^[1-9][0-9]*$') or #s > 16 then
    return nil
  end
  local n = tonumber(s)
  if n > max then return nil end
  return n
end
local node = ARGV[1]
local seq = count(ARGV[2], 9007199254740992)
local units = count(ARGV[3], 4294967295)
if type(node) ~= 'string' or #node == 0 or #node > 200 or string.find(node, ':', 1, true) then
  return redis.error_reply('ERR edgekit return: bad node id')
end
if not seq then return redis.error_reply('ERR edgekit return: bad sequence number') end
if not units then return redis.error_reply('ERR edgekit return: bad unit count') end
local field = 'r:' .. node .. ':' .. ARGV[2]
local recorded = redis.call('HGET', KEYS[2], field)
if recorded then return tonumber(recorded) end
-- Sequence numbers only grow: a new one at or below the node's high-water
-- mark means the node lost its journal and would misread old grants.
local hw = tonumber(redis.call('HGET', KEYS[2], 'hw:' .. node) or '0')
if seq <= hw then
  return redis.error_reply('ERR edgekit lease: stale sequence number')
end
local held = tonumber(redis.call('HGET', KEYS[2], 'ng:' .. node) or '0') -
             tonumber(redis.call('HGET', KEYS[2], 'nr:' .. node) or '0')
if units > held then
  return redis.error_reply('ERR edgekit return: more units than the node holds')
end
redis.call('HSET', KEYS[2], 'hw:' .. node, ARGV[2])
redis.call('INCRBY', KEYS[1], units)
redis.call('HSET', KEYS[2], field, units)
redis.call('HINCRBY', KEYS[2], 'returned', units)
redis.call('HINCRBY', KEYS[2], 'nr:' .. node, units)
return units
