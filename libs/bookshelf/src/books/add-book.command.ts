import { DomainCommand } from 'nestjs-protean';
import {
  IsInt,
  IsNotEmpty,
  IsNumber,
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

  @IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 2 })
  @Min(0)
  @Max(1_000_000)
  readonly price!: number;

  @IsInt()
  @Min(0)
  @Max(1_000_000)
  readonly stock!: number;

  constructor(props: AddBook) {
    Object.assign(this, props);
  }
}
