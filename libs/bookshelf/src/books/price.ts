import { applyDecorators } from '@nestjs/common';
import { buildMessage, IsNumber, Max, Min, ValidateBy } from 'class-validator';

/** Most decimals a price may have: cents. */
export const PRICE_DECIMALS = 2;
/** The highest price of a book. */
export const MAX_PRICE = 1_000_000;

/**
 * Whether `value` has at most `places` decimals. class-validator's own `maxDecimalPlaces`
 * reads them from `toString()`, which throws for numbers it writes with an exponent (`1e-7`),
 * turning a bad price into a 500; rounding to `places` and comparing cannot throw.
 */
export function hasAtMostDecimals(value: unknown, places: number): boolean {
  return typeof value === 'number' && Number(value.toFixed(places)) === value;
}

/** A price: a finite number from 0 to {@link MAX_PRICE}, in cents at most. */
export const IsPrice = () =>
  applyDecorators(
    IsNumber({ allowNaN: false, allowInfinity: false }),
    ValidateBy({
      name: 'maxDecimalPlaces',
      constraints: [PRICE_DECIMALS],
      validator: {
        validate: (value: unknown) => hasAtMostDecimals(value, PRICE_DECIMALS),
        defaultMessage: buildMessage(
          (each) => `${each}$property must have at most $constraint1 decimal places`,
        ),
      },
    }),
    Min(0),
    Max(MAX_PRICE),
  );
