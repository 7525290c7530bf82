/**
 * Whether to write colours to `stream`: never with `NO_COLOR` (https://no-color.org), always
 * with `FORCE_COLOR` (other than `0`), otherwise on a terminal that is not `TERM=dumb`.
 */
export function hasColours(stream: object, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '') return env.FORCE_COLOR !== '0';
  return Boolean((stream as { isTTY?: boolean }).isTTY) && env.TERM !== 'dumb';
}
