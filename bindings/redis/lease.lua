-- Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
--
-- The Redis side of the lease protocol, one script for both operations so
-- that what keeps them exactly-once (argument checks, the (node, seq) ledger
-- lookup, the high-water mark) is written once and loaded once.
--   KEYS[1]  the sale's remaining stock (an integer string)
--   KEYS[2]  the sale's lease ledger (a hash)
--   ARGV[1]  the operation: "grant" or "return"
--   ARGV[2]  node id (1..200 bytes, no ':')
--   ARGV[3]  the node's sequence number (decimal, 1..2^53); grants and
--            returns draw from one sequence per node
--   ARGV[4]  units (decimal, 1..2^32-1): the block asked for, or the units
--            given back
-- grant gives min(units, remaining), possibly 0, from the stock to the node
-- and records it as ledger field "g:<node>:<seq>". return gives units the
-- node did not sell back to the stock and records them as "r:<node>:<seq>";
-- a node can never give back more than it was granted and has not yet given
-- back (ledger "ng:<node>" - "nr:<node>"): such a return is refused with an
-- error and changes nothing, so a confused node cannot create units.
-- The script is atomic and the record is written before it returns, so
-- asking again with the same (node, seq) — a retry after a lost reply or a
-- crash — returns the recorded count and moves nothing, whatever units are
-- asked the second time. Ledger totals "granted" and "returned" (and per
-- node "ng:<node>", "nr:<node>") keep the sale checkable:
-- initial = remaining + granted - returned.
local ops = {
  grant = {record = 'g:', total = 'granted', node_total = 'ng:',
           errors = 'ERR edgekit lease: ', bad_units = 'bad block size'},
  ['return'] = {record = 'r:', total = 'returned', node_total = 'nr:',
                errors = 'ERR edgekit return: ', bad_units = 'bad unit count'},
}
local op = ops[ARGV[1]]
if not op then
  return redis.error_reply('ERR edgekit: unknown operation (grant or return)')
end
local function refuse(why) return redis.error_reply(op.errors .. why) end
local function count(s, max)
  if type(s) ~= 'string' or not string.match(s, '^[1-9][0-9]*$') or #s > 16 then
    return nil
  end
  local n = tonumber(s)
  if n > max then return nil end
  return n
end
local node = ARGV[2]
local seq = count(ARGV[3], 9007199254740992)
local units = count(ARGV[4], 4294967295)
if type(node) ~= 'string' or #node == 0 or #node > 200 or string.find(node, ':', 1, true) then
  return refuse('bad node id')
end
if not seq then return refuse('bad sequence number') end
if not units then return refuse(op.bad_units) end
local field = op.record .. node .. ':' .. ARGV[3]
local recorded = redis.call('HGET', KEYS[2], field)
if recorded then return tonumber(recorded) end
-- Sequence numbers only grow: a new one at or below the node's high-water
-- mark means the node lost its journal and would misread old grants.
local hw = tonumber(redis.call('HGET', KEYS[2], 'hw:' .. node) or '0')
if seq <= hw then return refuse('stale sequence number') end
if op == ops.grant then
  local remaining = tonumber(redis.call('GET', KEYS[1]) or '0')
  if not remaining or remaining < 0 then
    return refuse('sale stock is not a count')
  end
  units = math.min(units, remaining)
else
  local held = tonumber(redis.call('HGET', KEYS[2], 'ng:' .. node) or '0') -
               tonumber(redis.call('HGET', KEYS[2], 'nr:' .. node) or '0')
  if units > held then return refuse('more units than the node holds') end
end
redis.call('HSET', KEYS[2], 'hw:' .. node, ARGV[3])
if op == ops.grant then
  -- A grant of 0 leaves the stock key as it was (absent stays absent).
  if units > 0 then redis.call('DECRBY', KEYS[1], units) end
else
  redis.call('INCRBY', KEYS[1], units)
end
redis.call('HSET', KEYS[2], field, units)
redis.call('HINCRBY', KEYS[2], op.total, units)
redis.call('HINCRBY', KEYS[2], op.node_total .. node, units)
return units
