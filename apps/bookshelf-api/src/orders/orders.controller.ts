import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, NotFoundException, Param, Post, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiTags,
} from '@nestjs/swagger';
import { BookshelfQueries, OrderSummary, PlaceOrder } from '#bookshelf';
import { CommandBus } from 'nestjs-protean';
import { acceptanceStatus } from '../http/acceptance-status.js';
import { CreatedResponse } from '../http/created.response.js';
import { ResourceIdPipe } from '../http/resource-id.pipe.js';
import { PlaceOrderRequest } from './place-order.request.js';

interface StatusSetter {
  status(code: number): unknown;
}

@ApiTags('orders')
@Controller('orders')
export class OrdersController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: BookshelfQueries,
  ) {}

  @Post()
  @ApiCreatedResponse({ type: CreatedResponse, description: 'Placed (sync command processing)' })
  @ApiAcceptedResponse({
    type: CreatedResponse,
    description: 'Accepted (async command processing)',
  })
  @ApiNotFoundResponse({ description: 'An item names an unknown book' })
  async place(
    @Body() body: PlaceOrderRequest,
    @Res({ passthrough: true }) response: StatusSetter,
  ): Promise<CreatedResponse> {
    const unknown = await this.queries.unknownBooks(body.items.map((item) => item.bookId));
    if (unknown.length > 0) throw new NotFoundException(`Unknown book: ${unknown.join(', ')}`);
    const id = randomUUID();
    await this.commands.process(
      new PlaceOrder({ orderId: id, customerName: body.customer, items: body.items }),
    );
    response.status(acceptanceStatus(this.commands));
    return { id };
  }

  @Get(':id')
  @ApiNotFoundResponse()
  async get(@Param('id', new ResourceIdPipe('Order')) id: string): Promise<OrderSummary> {
    const order = await this.queries.findOrder(id);
    if (!order) throw new NotFoundException(`Order ${id} not found`);
    return order;
  }
}
