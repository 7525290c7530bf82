import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsPrice } from '#bookshelf';
import { IsInt, IsNotEmpty, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

/** The body of `POST /books`. */
export class AddBookRequest {
  @ApiProperty({ example: 'Dune', maxLength: 300 })
  @IsNotEmpty()
  @MaxLength(300)
  @IsString()
  readonly title!: string;

  @ApiProperty({ example: 'Frank Herbert', maxLength: 200 })
  @IsNotEmpty()
  @MaxLength(200)
  @IsString()
  readonly author!: string;

  @ApiPropertyOptional({ example: '9780441172719', maxLength: 20 })
  @IsOptional()
  @MaxLength(20)
  @IsString()
  readonly isbn?: string;

  @ApiProperty({ example: 9.99, minimum: 0, description: 'At most two decimals' })
  @IsPrice()
  readonly price!: number;

  @ApiPropertyOptional({ example: 3, minimum: 0, default: 0 })
  @IsOptional()
  @Min(0)
  @Max(1_000_000)
  @IsInt()
  readonly stock?: number;
}
