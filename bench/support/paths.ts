import { resolve } from 'node:path';

/** The repository, from the compiled `dist/bench/support/` (test/support's ROOT is `dist` here). */
export const REPO_ROOT = resolve(import.meta.dirname, '../../..');
export const API_MAIN = resolve(REPO_ROOT, 'dist/apps/bookshelf-api/src/main.js');
export const WORKER_MAIN = resolve(REPO_ROOT, 'dist/apps/bookshelf-worker/src/main.js');
export const CLI_MAIN = resolve(REPO_ROOT, 'dist/apps/bookshelf-worker/src/cli.js');
export const CHAPTER_TOML = resolve(REPO_ROOT, 'test/fixtures/chapter-domain.toml');
