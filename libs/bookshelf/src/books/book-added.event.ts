import { DomainEvent } from 'nestjs-protean';

/** A book entered the catalog. */
@DomainEvent({ category: 'book' })
export class BookAdded {
  readonly bookId!: string;
  readonly title!: string;
  readonly author!: string;
  readonly isbn!: string | null;
  readonly price!: number;
  readonly stock!: number;

  constructor(props: BookAdded) {
    Object.assign(this, props);
  }
}
