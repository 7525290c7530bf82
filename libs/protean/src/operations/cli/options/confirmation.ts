import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { usageError } from './usage-error.js';
import { NotConfirmedError } from './not-confirmed.error.js';

/** Where a question is asked and answered. */
export interface Conversation {
  readonly stdin: NodeJS.ReadableStream & { readonly isTTY?: boolean };
  readonly stdout: NodeJS.WritableStream & { readonly isTTY?: boolean };
}

/** Whether a person can answer: stdin and stdout are both a terminal. */
export const isInteractive = ({ stdin, stdout }: Conversation): boolean =>
  Boolean(stdin.isTTY && stdout.isTTY);

/** Asks `question`; resolves to whether the answer is yes. The end of input is a no. */
export function askYesNo({ stdin, stdout }: Conversation, question: string): Promise<boolean> {
  return new Promise((resolve) => {
    const lines = createInterface({ input: stdin, terminal: false });
    lines.once('line', (answer) => {
      resolve(/^\s*y(es)?\s*$/i.test(answer));
      lines.close();
    });
    lines.once('close', () => resolve(false));
    stdout.write(`${question} [y/N] `);
  });
}

/**
 * Lets a destructive command go ahead: with `--yes`, or once the operator answers yes on a
 * terminal. Without a terminal and without `--yes` it is a usage error (exit 2), so a script
 * or a runbook never deletes by default; a no ends it with NotConfirmedError (exit 1).
 */
export async function confirmOrStop(
  conversation: Conversation,
  command: Command,
  confirmation: { readonly yes?: boolean; readonly question: string; readonly nothingDone: string },
): Promise<void> {
  if (confirmation.yes) return;
  if (!isInteractive(conversation)) {
    const name = [command.parent?.name(), command.name()].filter(Boolean).join(' ');
    usageError(
      command,
      `${name} asks for confirmation, and stdin/stdout are not a terminal: give --yes to run it`,
    );
  }
  if (!(await askYesNo(conversation, confirmation.question))) {
    throw new NotConfirmedError(confirmation.nothingDone);
  }
}
