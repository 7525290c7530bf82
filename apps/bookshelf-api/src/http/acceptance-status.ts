import { HttpStatus } from '@nestjs/common';
import type { CommandBus } from 'nestjs-protean';

/** 202 Accepted when commands run asynchronously, 201 Created when they ran before answering. */
export const acceptanceStatus = (commands: CommandBus): HttpStatus =>
  commands.isAsync ? HttpStatus.ACCEPTED : HttpStatus.CREATED;
