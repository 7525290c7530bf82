/*
 * The partition lease scripts. One hash per partitioned category and group holds the group's
 * members on it and its leases, so that each turn is one atomic step on one key:
 *
 *   member:<consumer>  →  <expires at, ms>
 *   lease:<k>          →  <token>|<expires at, ms>|<consumer>
 *   fence              →  the last token granted (HINCRBY: a token is never granted twice)
 *
 * Time is the Redis server's (TIME), never a worker's clock, so hosts need not agree. The hash
 * never expires: its fence must outlive any holder of an old token.
 */

const NOW = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
`;

/**
 * KEYS[1] the lease hash. ARGV: consumer, partitions, ttl (ms), first partition to try.
 * Renews the consumer's membership and leases, drops expired members, and takes free or
 * expired partitions (from the first to try on, wrapping) up to ceil(partitions / members).
 * Returns { members, fair, k1, token1, k2, token2, … }: every lease it holds now.
 */
export const BALANCE_PARTITIONS_SCRIPT = `${NOW}
local me, n, ttl, first = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local expires = now + ttl
redis.call('HSET', KEYS[1], 'member:' .. me, expires)
local fields = redis.call('HGETALL', KEYS[1])
local members = 0
local taken = {}
local held = {}
for i = 1, #fields, 2 do
  local field, value = fields[i], fields[i + 1]
  if string.sub(field, 1, 7) == 'member:' then
    if tonumber(value) <= now then redis.call('HDEL', KEYS[1], field) else members = members + 1 end
  elseif string.sub(field, 1, 6) == 'lease:' then
    local k = tonumber(string.sub(field, 7))
    local token, until_, owner = string.match(value, '^(%d+)|(%d+)|(.*)$')
    if k ~= nil and k < n and token ~= nil and tonumber(until_) > now then
      taken[k] = true
      if owner == me then
        redis.call('HSET', KEYS[1], field, token .. '|' .. expires .. '|' .. me)
        held[#held + 1] = k
        held[#held + 1] = token
      end
    end
  end
end
local fair = math.ceil(n / members)
local count = #held / 2
for step = 0, n - 1 do
  if count >= fair then break end
  local k = (first + step) % n
  if not taken[k] then
    local token = tostring(redis.call('HINCRBY', KEYS[1], 'fence', 1))
    redis.call('HSET', KEYS[1], 'lease:' .. k, token .. '|' .. expires .. '|' .. me)
    held[#held + 1] = k
    held[#held + 1] = token
    count = count + 1
  end
end
local reply = { members, fair }
for i = 1, #held do reply[#reply + 1] = held[i] end
return reply
`;

/** KEYS[1] the lease hash. ARGV: partition, token. Deletes the lease if that token holds it. */
export const RELEASE_PARTITION_SCRIPT = `
local value = redis.call('HGET', KEYS[1], 'lease:' .. ARGV[1])
if value and string.match(value, '^(%d+)|') == ARGV[2] then
  redis.call('HDEL', KEYS[1], 'lease:' .. ARGV[1])
  return 1
end
return 0
`;

/** KEYS[1] the lease hash. ARGV: consumer. Removes its membership and every lease it holds. */
export const LEAVE_PARTITIONS_SCRIPT = `
local fields = redis.call('HGETALL', KEYS[1])
redis.call('HDEL', KEYS[1], 'member:' .. ARGV[1])
for i = 1, #fields, 2 do
  if string.sub(fields[i], 1, 6) == 'lease:' then
    local owner = string.match(fields[i + 1], '^%d+|%d+|(.*)$')
    if owner == ARGV[1] then redis.call('HDEL', KEYS[1], fields[i]) end
  end
end
return 1
`;

/**
 * KEYS[1] the lease hash, KEYS[2] the partition stream. ARGV: partition, token, group,
 * consumer, count. The fenced read: XREADGROUP only while that token holds an unexpired lease
 * on the partition. Returns { 0 } when it does not, else { 1, <id of the stream's last entry,
 * or 0-0>, <the XREADGROUP reply, or an empty array> }: a reader that got nothing waits for
 * entries after that id.
 */
export const READ_UNDER_LEASE_SCRIPT = `${NOW}
local value = redis.call('HGET', KEYS[1], 'lease:' .. ARGV[1])
if not value then return { 0 } end
local token, until_ = string.match(value, '^(%d+)|(%d+)|')
if token ~= ARGV[2] or tonumber(until_) <= now then return { 0 } end
local reply = redis.call('XREADGROUP', 'GROUP', ARGV[3], ARGV[4], 'COUNT', ARGV[5],
  'STREAMS', KEYS[2], '>')
local last = redis.call('XREVRANGE', KEYS[2], '+', '-', 'COUNT', 1)
local tail = '0-0'
if last[1] then tail = last[1][1] end
if not reply then reply = {} end
return { 1, tail, reply }
`;
