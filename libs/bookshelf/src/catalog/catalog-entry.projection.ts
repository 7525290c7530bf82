import { Projection } from 'nestjs-protean';

/** A book as the catalog shows it, with its current stock. */
@Projection({ name: 'catalog' })
export class CatalogEntry {
  id!: string;
  title!: string;
  author!: string;
  isbn!: string | null;
  price!: number;
  stock!: number;
}
