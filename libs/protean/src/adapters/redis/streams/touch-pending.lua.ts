/**
 * Resets the idle time of entries pending for one consumer without raising their delivery
 * counts: `XCLAIM … JUSTID` does not count a delivery. An entry pending for another consumer
 * (taken over meanwhile) or no longer pending is left alone — a plain XCLAIM would steal it
 * back — so the owner check and the claim run as one script. One key, so it runs on Cluster.
 *
 * KEYS[1] the stream; ARGV[1] the group; ARGV[2] the consumer; ARGV[3..] entry ids.
 * Returns the ids touched.
 */
export const TOUCH_PENDING_SCRIPT = `
local touched = {}
for i = 3, #ARGV do
  local entry = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[i], ARGV[i], 1)
  if entry[1] and entry[1][2] == ARGV[2] then
    redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, ARGV[i], 'JUSTID')
    touched[#touched + 1] = ARGV[i]
  end
end
return touched
`;
