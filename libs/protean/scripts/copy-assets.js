// The Observatory's page (HTML, CSS, browser JavaScript) is served from dist as written: tsc
// compiles TypeScript only, so the build copies it beside the compiled module that serves it.
import { cpSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const assets = 'operations/observability/observatory/assets';
cpSync(resolve(root, 'src', assets), resolve(root, 'dist', assets), { recursive: true });
