import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsNotEmpty,
  IsString,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { OrderItem } from '../orders/place-order.command.js';

/** What external systems write to `external-orders`: `{"customer": "...", "items": [...]}`. */
export class ExternalOrderPayload {
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  readonly customer!: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => OrderItem)
  readonly items!: OrderItem[];
}
