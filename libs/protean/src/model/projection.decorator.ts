import { SetMetadata } from '@nestjs/common';
import { PROJECTION_METADATA } from '../core/messages/protean.constants.js';

export interface ProjectionMetadata {
  /** The read model's name, its table or collection; defaults to the class name. */
  readonly name: string;
}

/** Marks a read model: plain JSON documents with an `id`, written by projectors. */
export const Projection = (options: Partial<ProjectionMetadata> = {}): ClassDecorator => {
  return (target) => {
    SetMetadata(PROJECTION_METADATA, {
      name: options.name ?? target.name,
    } satisfies ProjectionMetadata)(target);
  };
};
