import { ApiProperty } from '@nestjs/swagger';

/** The answer to a command: the id to poll on the GET routes. */
export class CreatedResponse {
  @ApiProperty({ format: 'uuid' })
  readonly id!: string;
}
