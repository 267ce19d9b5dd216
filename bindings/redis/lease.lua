-- Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
--
-- Grants a block of a flash sale's central stock to one edge node, once.
--   KEYS[1]  the sale's remaining stock (an integer string)
--   KEYS[2]  the sale's lease ledger (a hash)
--   ARGV[1]  node id (1..200 bytes, no ':')
--   ARGV[2]  the node's lease sequence number (decimal, 1..2^53)
--   ARGV[3]  block size (decimal, 1..2^32-1)
-- Returns the units granted: min(block, remaining), possibly 0. The grant is
-- recorded as ledger field "g:<node>:<seq>" before the script returns, and
-- the script is atomic, so asking again with the same (node, seq) — a retry
-- after a lost reply or a crash — returns the recorded grant and grants
-- nothing new, whatever the block size asked the second time. Ledger
-- totals "granted" and "returned" (and per node "ng:<node>", "nr:<node>")
-- keep the sale checkable: initial = remaining + granted - returned.
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
local block = count(ARGV[3], 4294967295)
if type(node) ~= 'string' or #node == 0 or #node > 200 or string.find(node, ':', 1, true) then
  return redis.error_reply('ERR edgekit lease: bad node id')
end
if not seq then return redis.error_reply('ERR edgekit lease: bad sequence number') end
if not block then return redis.error_reply('ERR edgekit lease: bad block size') end
local field = 'g:' .. node .. ':' .. ARGV[2]
local recorded = redis.call('HGET', KEYS[2], field)
if recorded then return tonumber(recorded) end
-- Sequence numbers only grow: a new one at or below the node's high-water
-- mark means the node lost its journal and would misread old grants.
local hw = tonumber(redis.call('HGET', KEYS[2], 'hw:' .. node) or '0')
if seq <= hw then
  return redis.error_reply('ERR edgekit lease: stale sequence number')
end
local remaining = tonumber(redis.call('GET', KEYS[1]) or '0')
if not remaining or remaining < 0 then
  return redis.error_reply('ERR edgekit lease: sale stock is not a count')
end
local n = math.min(block, remaining)
redis.call('HSET', KEYS[2], 'hw:' .. node, ARGV[2])
if n > 0 then redis.call('DECRBY', KEYS[1], n) end
redis.call('HSET', KEYS[2], field, n)
redis.call('HINCRBY', KEYS[2], 'granted', n)
redis.call('HINCRBY', KEYS[2], 'ng:' .. node, n)
return n
