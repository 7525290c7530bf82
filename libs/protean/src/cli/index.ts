/**
 * `nestjs-protean/cli`: the `protean` command — to run it from a script of one's own
 * (`main`) or to build a variant with commands added (`createCli`, `defaultCommands`).
 */
export { main } from './main.js';
export type { CliCommand, CliContext } from './cli-command.js';
export { createCli, defaultCommands, type CliOptions } from './create-cli.js';
export { runCli } from './run-cli.js';
export * from './project.errors.js';
export { locateProject, type ModuleReference, type ProjectLocation } from './locate-project.js';
