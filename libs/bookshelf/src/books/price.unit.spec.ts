import 'reflect-metadata';
import { validateSync } from 'class-validator';
import { hasAtMostDecimals, IsPrice } from './price.js';

class Priced {
  @IsPrice()
  price!: number;
}

const problems = (price: unknown) =>
  validateSync(Object.assign(new Priced(), { price })).flatMap((error) =>
    Object.values(error.constraints ?? {}),
  );

describe('IsPrice', () => {
  it('accepts cents', () => {
    for (const price of [0, 9.99, 10, 0.01, 1_000_000]) expect(problems(price)).toEqual([]);
  });

  it('refuses more decimals without throwing, exponent forms included', () => {
    for (const price of [1e-7, 5e-324, 0.001, 0.1 + 0.2]) {
      expect(problems(price)).toEqual(['price must have at most 2 decimal places']);
    }
    expect(hasAtMostDecimals(1e-7, 2)).toBe(false);
  });

  it('refuses what is not a price', () => {
    expect(problems(-1)).toEqual(['price must not be less than 0']);
    expect(problems(1e21)).toEqual(['price must not be greater than 1000000']);
    expect(problems('9.99')).toContain(
      'price must be a number conforming to the specified constraints',
    );
    expect(problems(Infinity)).toContain(
      'price must be a number conforming to the specified constraints',
    );
  });
});
