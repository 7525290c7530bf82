import { DomainCommand } from '#protean';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsInt,
  IsNotEmpty,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

/** One requested line of a `PlaceOrder`. */
export class OrderItem {
  @IsUUID()
  readonly bookId!: string;

  @IsInt()
  @Min(1)
  @Max(1000)
  readonly quantity!: number;
}

/** Place an order for books. */
@DomainCommand({ category: 'order', identifiedBy: 'orderId' })
export class PlaceOrder {
  @IsUUID()
  readonly orderId!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  readonly customerName!: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => OrderItem)
  readonly items!: OrderItem[];

  constructor(props: PlaceOrder) {
    Object.assign(this, props);
  }
}
