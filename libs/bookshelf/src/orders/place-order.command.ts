import { DomainCommand } from 'nestjs-protean';
import { IsNotEmpty, IsString, IsUUID, MaxLength } from 'class-validator';
import { OrderItem, ValidOrderItems } from './order-item.js';

/** Place an order for books. */
@DomainCommand({ category: 'order', identifiedBy: 'orderId' })
export class PlaceOrder {
  @IsUUID()
  readonly orderId!: string;

  @IsNotEmpty()
  @MaxLength(200)
  @IsString()
  readonly customerName!: string;

  @ValidOrderItems()
  readonly items!: OrderItem[];

  constructor(props: PlaceOrder) {
    Object.assign(this, props);
  }
}
