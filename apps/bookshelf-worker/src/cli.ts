import 'reflect-metadata';
import { BOOKSHELF_DOMAIN, BookshelfModule } from '#bookshelf';
import { runCli } from '#protean';

/** `npm run protean -- <command>`: the Protean CLI for the bookshelf domain. */
void runCli({ domain: BOOKSHELF_DOMAIN, imports: [BookshelfModule] });
