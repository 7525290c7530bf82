import { PassThrough } from 'node:stream';
import { Command, CommanderError } from 'commander';
import { confirmOrStop, isInteractive, type Conversation } from './confirmation.js';
import { NotConfirmedError } from './not-confirmed.error.js';

/** A conversation on in-memory streams, a terminal or not. */
function conversation(tty: boolean) {
  const stdin = Object.assign(new PassThrough(), { isTTY: tty });
  const stdout = Object.assign(new PassThrough(), { isTTY: tty });
  let written = '';
  stdout.on('data', (chunk: Buffer) => (written += chunk.toString()));
  return { streams: { stdin, stdout } as Conversation, stdin, written: () => written };
}

function purgeCommand(): Command {
  const program = new Command('protean').exitOverride().configureOutput({ writeErr: () => {} });
  const dlq = program.command('dlq').exitOverride();
  return dlq
    .command('purge')
    .exitOverride()
    .configureOutput({ writeErr: () => {} });
}

describe('confirmation of destructive commands', () => {
  const ask = { question: 'Delete them?', nothingDone: 'nothing was purged' };

  it('goes ahead with --yes, asking nothing, terminal or not', async () => {
    for (const tty of [false, true]) {
      const talk = conversation(tty);
      await confirmOrStop(talk.streams, purgeCommand(), { ...ask, yes: true });
      expect(talk.written()).toBe('');
    }
  });

  it('is a usage error (exit 2) naming --yes without a terminal', async () => {
    const talk = conversation(false);
    expect(isInteractive(talk.streams)).toBe(false);
    const refusal = confirmOrStop(talk.streams, purgeCommand(), ask);
    await expect(refusal).rejects.toBeInstanceOf(CommanderError);
    await expect(refusal).rejects.toMatchObject({
      exitCode: 2,
      message: expect.stringContaining('dlq purge asks for confirmation') as unknown,
    });
    await expect(refusal).rejects.toThrow('give --yes to run it');
  });

  it.each([
    ['y\n', true],
    ['YES\n', true],
    ['n\n', false],
    ['\n', false],
    ['sure\n', false],
  ])('on a terminal asks, and %j answers', async (answer, goesAhead) => {
    const talk = conversation(true);
    const asked = confirmOrStop(talk.streams, purgeCommand(), ask);
    talk.stdin.write(answer);
    if (goesAhead) await expect(asked).resolves.toBeUndefined();
    else await expect(asked).rejects.toThrow(new NotConfirmedError('nothing was purged'));
    expect(talk.written()).toBe('Delete them? [y/N] ');
  });

  it('takes the end of input as a no', async () => {
    const talk = conversation(true);
    const asked = confirmOrStop(talk.streams, purgeCommand(), ask);
    talk.stdin.end();
    await expect(asked).rejects.toThrow('Not confirmed: nothing was purged');
  });
});
