/** One line of an order as the customer asked for it. */
export interface OrderLine {
  readonly bookId: string;
  readonly quantity: number;
}

/** An order line with the book's price when the order was placed. */
export interface PricedOrderLine extends OrderLine {
  readonly unitPrice: number;
}
