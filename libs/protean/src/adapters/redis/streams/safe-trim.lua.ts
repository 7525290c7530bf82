/**
 * Trims a stream to about `max_stream_length` entries without dropping an entry any consumer
 * group still needs. Runs as one script so that no group can move, and no group appear,
 * between reading the groups' positions and trimming. One key, so it runs on Redis Cluster.
 *
 * The floor is the smallest id some group still needs, over all groups: its oldest pending
 * (delivered, unacknowledged) entry, or its first undelivered entry (the one after its
 * last-delivered-id). The script drops at most `excess = XLEN - max` entries, all below the
 * floor, with `XTRIM MINID ~`: approximate trimming removes whole radix-tree nodes only, so it
 * is cheap and never removes an id at or above the one given. Finding the id at position
 * `excess` costs an XRANGE walk over the entries to drop, in chunks, at most `ARGV[2]` of them
 * per call; the adapter trims often enough that this stays small.
 *
 * KEYS[1] the stream; ARGV[1] max length; ARGV[2] most entries to drop per call.
 * Returns the number of entries removed.
 */
export const SAFE_TRIM_SCRIPT = `
local key = KEYS[1]
local excess = redis.call('XLEN', key) - tonumber(ARGV[1])
if excess <= 0 then return 0 end
excess = math.min(excess, tonumber(ARGV[2]))

local function parse(id)
  local ms, seq = string.match(id, '^(%d+)-(%d+)$')
  return tonumber(ms), tonumber(seq)
end
local function before(a, b)
  local ams, aseq = parse(a)
  local bms, bseq = parse(b)
  if ams ~= bms then return ams < bms end
  return aseq < bseq
end

local floor = nil
local function lower(id)
  if floor == nil or before(id, floor) then floor = id end
end
for _, group in ipairs(redis.call('XINFO', 'GROUPS', key)) do
  local name, lastDelivered
  for i = 1, #group, 2 do
    if group[i] == 'name' then name = group[i + 1] end
    if group[i] == 'last-delivered-id' then lastDelivered = group[i + 1] end
  end
  local summary = redis.call('XPENDING', key, name)
  if summary[2] then lower(summary[2]) end
  local undelivered = redis.call('XRANGE', key, '(' .. lastDelivered, '+', 'COUNT', 1)
  if #undelivered > 0 then lower(undelivered[1][1]) end
end

local upper = '+'
if floor then upper = '(' .. floor end
local minId = nil
local seen = 0
local start = '-'
while true do
  local want = math.min(100, excess + 1 - seen)
  local entries = redis.call('XRANGE', key, start, upper, 'COUNT', want)
  seen = seen + #entries
  if seen == excess + 1 then
    minId = entries[#entries][1]
    break
  end
  if #entries < want then break end
  start = '(' .. entries[#entries][1]
end
minId = minId or floor
if minId == nil then return 0 end
return redis.call('XTRIM', key, 'MINID', '~', minId)
`;
