import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import { NestFactory } from '@nestjs/core';
import {
  deserializeEnvelope,
  loadConfiguration,
  parseUntrustedJson,
  ProteanModule,
  type MessageEnvelope,
} from 'nestjs-protean';
import { HandlerRunner } from 'nestjs-protean/internal/application/handler-runner.js';
import {
  instantiate,
  problemsOf,
} from 'nestjs-protean/internal/core/messages/message-validation.js';
import { BENCH_DOMAIN, pingEnvelope, Pinged } from './bench-domain.js';

/**
 * `node dist/bench/consume/per-message-cost.js [messages]`: what each thing the engine does
 * to a message costs on its own, in µs of CPU per message (the median of 5 passes over
 * `messages` envelopes of scenario 1), cumulative in the order the engine does them. No
 * Redis: the broker's share is the raw XREADGROUP/XACK loop of scenario 1.
 */
async function main(): Promise<void> {
  const messages = Number(process.argv[2] ?? 50_000);
  const texts = Array.from({ length: messages }, (_, n) => pingEnvelope(n, 1000));
  const envelopes = texts.map((text) => deserializeEnvelope(text));
  const app = await NestFactory.createApplicationContext(
    ProteanModule.forRoot({ domain: BENCH_DOMAIN, config: loadConfiguration({ embedded: true }) }),
    { logger: ['error', 'warn'] },
  );
  const runner = app.get(HandlerRunner);
  const conflicts = { budgetMs: 60_000 };
  const noop = () => Promise.resolve();
  let round = 0;
  const steps: Array<[string, () => Promise<void> | void]> = [
    [
      'JSON.parse of the entry',
      () => {
        for (const text of texts) JSON.parse(text);
      },
    ],
    [
      '+ hostile-input checks (parseUntrustedJson)',
      () => texts.forEach((t) => parseUntrustedJson(t)),
    ],
    [
      '+ envelope validation (zod): deserializeEnvelope',
      () => texts.forEach((t) => deserializeEnvelope(t)),
    ],
    [
      '+ message instance and its rules (class-transformer, class-validator)',
      () => texts.forEach((text) => decode(deserializeEnvelope(text))),
    ],
    [
      'the unit of work alone: processed record, correlation scope, conflict retry (memory db)',
      async () => {
        round++;
        for (const envelope of envelopes) {
          const ids = { correlationId: envelope.id, causationId: envelope.id };
          await runner.runOnce(`Noop${round}`, envelope.id, ids, noop, conflicts);
        }
      },
    ],
  ];
  process.stdout.write(`${messages} messages, µs per message (median of 5 passes)\n`);
  for (const [label, step] of steps) {
    const passes: number[] = [];
    for (let pass = 0; pass < 5; pass++) {
      const started = performance.now();
      await step();
      passes.push(((performance.now() - started) * 1000) / messages);
    }
    passes.sort((a, b) => a - b);
    process.stdout.write(`${passes[2].toFixed(2).padStart(7)}  ${label}\n`);
  }
  await app.close();
}

function decode(envelope: MessageEnvelope): void {
  const instance = instantiate(Pinged, envelope.payload);
  if (problemsOf(instance).length > 0) throw new Error('invalid');
}

void main();
