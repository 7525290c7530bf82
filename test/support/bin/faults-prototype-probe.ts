/*
 * TEST-ONLY preload for the faults suite (scenario 10), loaded into the real API and worker
 * with `NODE_OPTIONS=--import <this file>`. It notes the own properties of the built-in
 * prototypes at start, and on SIGUSR2 writes `<PROTOTYPE_PROBE_DIR>/<pid>.json`: what was added
 * to them since, and whether a plain object now inherits a `polluted` property.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const prototypes: Record<string, object> = {
  Object: Object.prototype,
  Array: Array.prototype,
  Function: Function.prototype,
  String: String.prototype,
};
const names = (target: object) => Reflect.ownKeys(target).map(String);
const baseline = Object.fromEntries(
  Object.entries(prototypes).map(([name, target]) => [name, new Set(names(target))]),
);

const directory = process.env.PROTOTYPE_PROBE_DIR;
if (directory) {
  process.on('SIGUSR2', () => {
    const added = Object.fromEntries(
      Object.entries(prototypes).map(([name, target]) => [
        name,
        names(target).filter((key) => !baseline[name].has(key)),
      ]),
    );
    const probe = {} as Record<string, unknown>;
    const report = { pid: process.pid, at: Date.now(), added, polluted: probe.polluted ?? null };
    writeFileSync(join(directory, `${process.pid}.json`), JSON.stringify(report));
  });
}
