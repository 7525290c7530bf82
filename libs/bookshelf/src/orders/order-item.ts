import { applyDecorators } from '@nestjs/common';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsInt,
  IsUUID,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';

/** Most lines in one order. */
export const MAX_ORDER_LINES = 100;

/** One requested line of an order. */
export class OrderItem {
  @IsUUID()
  readonly bookId!: string;

  @Min(1)
  @Max(1000)
  @IsInt()
  readonly quantity!: number;
}

/** Validates an order's `items`: 1 to 100 valid {@link OrderItem}s. */
export const ValidOrderItems = () =>
  applyDecorators(
    ArrayMinSize(1),
    ArrayMaxSize(MAX_ORDER_LINES),
    ValidateNested({ each: true }),
    Type(() => OrderItem),
    IsArray(),
  );
