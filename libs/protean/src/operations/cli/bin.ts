#!/usr/bin/env node
import module from 'node:module';

// Node ≥ 22.1 keeps the compiled code of every module it loads on disk (under os.tmpdir(); off
// with NODE_DISABLE_COMPILE_CACHE=1), as TypeScript's own bin does: from the second run on, a
// command that boots Nest starts in about two thirds of the time. Enabled before anything else
// loads, hence the dynamic import below.
(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();

const { main } = await import('./main.js');
await main();
