import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, NotFoundException, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiTags,
} from '@nestjs/swagger';
import { AddBook, BookshelfQueries, CatalogEntry } from '#bookshelf';
import { CommandBus } from 'nestjs-protean';
import { acceptanceStatus } from '../http/acceptance-status.js';
import { CreatedResponse } from '../http/created.response.js';
import { ResourceIdPipe } from '../http/resource-id.pipe.js';
import { PageQuery } from '../http/page.query.js';
import { AddBookRequest } from './add-book.request.js';

interface StatusSetter {
  status(code: number): unknown;
}

@ApiTags('books')
@Controller('books')
export class BooksController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: BookshelfQueries,
  ) {}

  @Post()
  @ApiCreatedResponse({ type: CreatedResponse, description: 'Added (sync command processing)' })
  @ApiAcceptedResponse({
    type: CreatedResponse,
    description: 'Accepted (async command processing)',
  })
  async add(
    @Body() body: AddBookRequest,
    @Res({ passthrough: true }) response: StatusSetter,
  ): Promise<CreatedResponse> {
    const id = randomUUID();
    await this.commands.process(new AddBook({ bookId: id, ...body, stock: body.stock ?? 0 }));
    response.status(acceptanceStatus(this.commands));
    return { id };
  }

  @Get()
  list(@Query() page: PageQuery): Promise<CatalogEntry[]> {
    return this.queries.listBooks(page);
  }

  @Get(':id')
  @ApiNotFoundResponse()
  async get(@Param('id', new ResourceIdPipe('Book')) id: string): Promise<CatalogEntry> {
    const book = await this.queries.findBook(id);
    if (!book) throw new NotFoundException(`Book ${id} not found`);
    return book;
  }
}
