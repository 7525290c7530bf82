import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { DomainRuleError } from 'nestjs-protean';
import { Book } from './books/book.aggregate.js';
import { ExternalOrderPayload } from './external/external-order.payload.js';
import { Order } from './orders/order.aggregate.js';
import { PlaceOrder } from './orders/place-order.command.js';

const bookId = '9b2f7a4e-1c1d-4e8f-9a55-0f3a3b6c2d11';

describe('Book', () => {
  it('refuses a negative price and a fractional or negative stock', () => {
    expect(() => Book.add({ id: bookId, title: 'T', author: 'A', price: -1 })).toThrow(
      DomainRuleError,
    );
    expect(() => Book.add({ id: bookId, title: 'T', author: 'A', price: 1, stock: 1.5 })).toThrow(
      DomainRuleError,
    );
    expect(() => Book.add({ id: bookId, title: 'T', author: 'A', price: 1, stock: -1 })).toThrow(
      DomainRuleError,
    );
  });

  it('reserves stock it has, and refuses what it has not', () => {
    const book = Book.add({ id: bookId, title: 'T', author: 'A', price: 1, stock: 3 });
    book.reserve(2, 'o1');
    expect(book.stock).toBe(1);
    expect(() => book.reserve(2, 'o2')).toThrow('Only 1 of book');
    expect(book.stock).toBe(1);
  });
});

describe('Order', () => {
  const line = (quantity: number, unitPrice = 9.99) => ({ bookId, quantity, unitPrice });

  it('merges lines of one book and totals in cents', () => {
    const order = Order.place({ id: 'o1', customerName: 'Ada', items: [line(1), line(2)] });
    expect(order.items).toEqual([line(3)]);
    expect(order.total).toBe(29.97);
    expect(order.status).toBe('PLACED');
  });

  it('needs items of quantity 1 or more', () => {
    expect(() => Order.place({ id: 'o1', customerName: 'Ada', items: [] })).toThrow(
      DomainRuleError,
    );
    expect(() => Order.place({ id: 'o1', customerName: 'Ada', items: [line(0)] })).toThrow(
      DomainRuleError,
    );
  });

  it('is confirmed or rejected once', () => {
    const order = Order.place({ id: 'o1', customerName: 'Ada', items: [line(1)] });
    order.confirm();
    expect(() => order.reject('late')).toThrow('already CONFIRMED');
  });
});

describe('order validation (PlaceOrder, external payloads)', () => {
  const problems = (value: object) => validateSync(value, { forbidUnknownValues: false });

  it('accepts a well-formed order and refuses empty or invalid items', () => {
    const valid = plainToInstance(PlaceOrder, {
      orderId: bookId,
      customerName: 'Ada',
      items: [{ bookId, quantity: 1 }],
    });
    expect(problems(valid)).toEqual([]);
    const empty = plainToInstance(PlaceOrder, { orderId: bookId, customerName: 'Ada', items: [] });
    expect(problems(empty).map((error) => error.property)).toEqual(['items']);
    const zero = plainToInstance(ExternalOrderPayload, {
      customer: 'Ada',
      items: [{ bookId, quantity: 0 }],
    });
    expect(problems(zero)[0].children?.[0].children?.[0].property).toBe('quantity');
    const notAnArray = plainToInstance(ExternalOrderPayload, { customer: 'Ada', items: 'three' });
    expect(problems(notAnArray).map((error) => error.property)).toEqual(['items']);
  });
});
