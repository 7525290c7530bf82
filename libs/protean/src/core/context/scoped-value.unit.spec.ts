import { setImmediate as nextTurn } from 'node:timers/promises';
import { ScopedValue } from './scoped-value.js';

describe('ScopedValue', () => {
  const ids = new ScopedValue<string>('ids');
  const unit = new ScopedValue<number>('unit');

  it('is undefined outside of any scope, and follows the work across awaits', async () => {
    expect(ids.get()).toBeUndefined();
    const seen = await ids.run('a', async () => {
      await nextTurn();
      return ids.get();
    });
    expect([seen, ids.get()]).toEqual(['a', undefined]);
  });

  it('keeps the other values of the scope it opens in, as storages of their own would', async () => {
    const seen = await ids.run('outer', () =>
      unit.run(1, async () => {
        await nextTurn();
        const inner = ids.run('inner', () => [ids.get(), unit.get()]);
        return [inner, [ids.get(), unit.get()]];
      }),
    );
    expect(seen).toEqual([
      ['inner', 1],
      ['outer', 1],
    ]);
  });

  it('keeps concurrent scopes apart', async () => {
    const runs = Array.from({ length: 20 }, (_, i) =>
      ids.run(`m${i}`, () =>
        unit.run(i, async () => {
          for (let turn = 0; turn < 3; turn++) await nextTurn();
          return [ids.get(), unit.get()];
        }),
      ),
    );
    expect(await Promise.all(runs)).toEqual(Array.from({ length: 20 }, (_, i) => [`m${i}`, i]));
  });

  it('gives two values of the same name each their own slot', () => {
    const twin = new ScopedValue<string>('ids');
    expect(ids.run('mine', () => twin.run('twin', () => [ids.get(), twin.get()]))).toEqual([
      'mine',
      'twin',
    ]);
  });
});
