import { DomainCommand } from 'nestjs-protean';
import { IsPrice } from './price.js';
import {
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
} from 'class-validator';

/** Put a new book in the catalog. */
@DomainCommand({ category: 'book', identifiedBy: 'bookId' })
export class AddBook {
  @IsUUID()
  readonly bookId!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  readonly title!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  readonly author!: string;

  @IsOptional()
  @IsString()
  @MaxLength(20)
  readonly isbn?: string;

  @IsPrice()
  readonly price!: number;

  @IsInt()
  @Min(0)
  @Max(1_000_000)
  readonly stock!: number;

  constructor(props: AddBook) {
    Object.assign(this, props);
  }
}
