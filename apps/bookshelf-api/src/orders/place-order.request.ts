import { ApiProperty } from '@nestjs/swagger';
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

export class OrderItemRequest {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  readonly bookId!: string;

  @ApiProperty({ minimum: 1, maximum: 1000, example: 1 })
  @Min(1)
  @Max(1000)
  @IsInt()
  readonly quantity!: number;
}

/** The body of `POST /orders`. */
export class PlaceOrderRequest {
  @ApiProperty({ example: 'Ada Lovelace', maxLength: 200 })
  @IsNotEmpty()
  @MaxLength(200)
  @IsString()
  readonly customer!: string;

  @ApiProperty({ type: [OrderItemRequest], minItems: 1, maxItems: 100 })
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => OrderItemRequest)
  @IsArray()
  readonly items!: OrderItemRequest[];
}
