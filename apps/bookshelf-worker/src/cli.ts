#!/usr/bin/env node
/**
 * `npm run protean -- <command>` as the worker app's own script: the package's `protean` bin,
 * which finds the bookshelf through the `protean` field of the root package.json.
 */
import { main } from 'nestjs-protean/cli';

await main();
