import { changePercent, sharePercent, unitCosts } from './unit-economics.js';

describe('unitCosts', () => {
  it('$12.50 over 5,000 requests, 2,500,000 tokens and 4 customers: $0.0025/request, $2.50/1k requests, $0.005/1k tokens, $5/1M tokens, $3.125/customer', () => {
    expect(unitCosts({ costUsd: '12.5', requests: 5_000, tokens: 2_500_000, activeCustomers: 4 })).toEqual({
      costPerRequestUsd: '0.0025',
      costPer1kRequestsUsd: '2.5',
      costPer1kTokensUsd: '0.005',
      costPer1MTokensUsd: '5',
      costPerActiveCustomerUsd: '3.125',
    });
  });

  it('$1 over 3 requests rounds once to 6 places: $0.333333/request, $333.333333/1k requests', () => {
    const u = unitCosts({ costUsd: '1', requests: 3, tokens: 0 });
    expect(u.costPerRequestUsd).toBe('0.333333');
    expect(u.costPer1kRequestsUsd).toBe('333.333333');
  });

  it('is null, never 0 or Infinity, where nothing was served or no customer was seen', () => {
    expect(unitCosts({ costUsd: '0', requests: 0, tokens: 0, activeCustomers: 0 })).toEqual({
      costPerRequestUsd: null,
      costPer1kRequestsUsd: null,
      costPer1kTokensUsd: null,
      costPer1MTokensUsd: null,
      costPerActiveCustomerUsd: null,
    });
  });
});

describe('sharePercent and changePercent', () => {
  it('$3 of $8 is 37.5%; of $0 is 0', () => {
    expect(sharePercent('3', '8')).toBe(37.5);
    expect(sharePercent('3', '0')).toBe(0);
  });

  it('$15 after $10 is +50%, $5 after $10 is -50%, and no previous spend is null', () => {
    expect(changePercent('15', '10')).toBe(50);
    expect(changePercent('5', '10')).toBe(-50);
    expect(changePercent('5', null)).toBeNull();
    expect(changePercent('5', '0')).toBeNull();
  });
});
