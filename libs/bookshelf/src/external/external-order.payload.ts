import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { OrderItem, ValidOrderItems } from '../orders/order-item.js';

/** What external systems write to `external-orders`: `{"customer": "...", "items": [...]}`. */
export class ExternalOrderPayload {
  @IsNotEmpty()
  @MaxLength(200)
  @IsString()
  readonly customer!: string;

  @ValidOrderItems()
  readonly items!: OrderItem[];
}
