import type { HelpConfiguration } from 'commander';

const sgr = (open: number, close: number) => (text: string) => `\x1b[${open}m${text}\x1b[${close}m`;
const bold = sgr(1, 22);
const cyan = sgr(36, 39);
const green = sgr(32, 39);

/**
 * Colours for `--help`: titles bold, commands cyan, options green. Commander strips them when
 * the output has no colours (a pipe, `NO_COLOR`; see `hasColours`).
 */
export const helpStyles: HelpConfiguration = {
  styleTitle: bold,
  styleCommandText: cyan,
  styleSubcommandText: cyan,
  styleOptionText: green,
};
