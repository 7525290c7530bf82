import { CircuitBreaker } from './circuit-breaker.js';

describe('CircuitBreaker', () => {
  let now = 0;
  const clock = () => now;

  beforeEach(() => (now = 0));

  it('opens after threshold consecutive failures and pauses for the reset time', () => {
    const breaker = new CircuitBreaker(3, 1000, clock);
    breaker.failure();
    breaker.failure();
    expect(breaker.state).toBe('closed');
    breaker.failure();
    expect(breaker.state).toBe('open');
    now = 400;
    expect(breaker.pauseMs()).toBe(600);
  });

  it('a success in between resets the count', () => {
    const breaker = new CircuitBreaker(2, 1000, clock);
    breaker.failure();
    breaker.success();
    breaker.failure();
    expect(breaker.state).toBe('closed');
  });

  it('half-opens after the reset time; a failing probe re-opens, a good one closes', () => {
    const breaker = new CircuitBreaker(1, 1000, clock);
    breaker.failure();
    now = 1000;
    expect(breaker.state).toBe('half-open');
    breaker.failure();
    expect(breaker.state).toBe('open');
    now = 2000;
    breaker.success();
    expect(breaker.state).toBe('closed');
    expect(breaker.pauseMs()).toBe(0);
  });

  it('never opens with threshold 0', () => {
    const breaker = new CircuitBreaker(0, 1000, clock);
    for (let i = 0; i < 100; i++) breaker.failure();
    expect(breaker.state).toBe('closed');
  });
});
