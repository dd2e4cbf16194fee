import { perMillion, usdString } from './money.js';

describe('money', () => {
  it('1,234 tokens at $2.50/1M = $0.003085 exactly', () => {
    expect(perMillion(1234, '2.5').toFixed()).toBe('0.003085');
  });
  it('0.1 + 0.2 style sums stay exact: 3 x 1 token at $0.1/1M = 0.0000003', () => {
    const sum = perMillion(1, '0.1').plus(perMillion(1, '0.1')).plus(perMillion(1, '0.1'));
    expect(sum.toFixed()).toBe('0.0000003');
  });
  it('usdString rounds half-even once, at presentation', () => {
    expect(usdString('0.0000125', 5)).toBe('0.00001');
    expect(usdString('12.5')).toBe('12.5');
  });
});
