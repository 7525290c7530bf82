/**
 * `nestjs-protean/cli`: the `protean` command — to run it from a script of one's own
 * (`main`) or to build a variant with commands added (`createCli`, `defaultCommands`).
 */
export { main } from './operations/cli/main.js';
export type { CliCommand, CliContext } from './operations/cli/cli-command.js';
export { createCli, defaultCommands, type CliOptions } from './operations/cli/create-cli.js';
export { runCli } from './operations/cli/run-cli.js';
export * from './operations/cli/project-module-not-found.error.js';
export * from './operations/cli/project-module-invalid.error.js';
export * from './operations/cli/domain-not-configured.error.js';
export * from './operations/cli/domain-mismatch.error.js';
export {
  locateProject,
  type ModuleReference,
  type ProjectLocation,
} from './operations/cli/locate-project.js';
