import { decodeCursor } from '../common/pagination.js';
import { memoryPage } from './memory-page.js';

describe('memoryPage', () => {
  const items = ['a', 'b', 'c', 'd', 'e'];

  it('without limit or cursor answers the whole list (as before pagination) with nextCursor null', () => {
    expect(memoryPage(items, {})).toEqual({ data: items, nextCursor: null });
  });

  it('limit 2 pages a, b → c, d → e; the last page has nextCursor null', () => {
    const first = memoryPage(items, { limit: 2 });
    expect(first.data).toEqual(['a', 'b']);
    const second = memoryPage(items, { limit: 2, cursor: first.nextCursor! });
    expect(second.data).toEqual(['c', 'd']);
    const third = memoryPage(items, { limit: 2, cursor: second.nextCursor! });
    expect(third).toEqual({ data: ['e'], nextCursor: null });
    expect(decodeCursor(second.nextCursor!)).toEqual({ o: 4 });
  });

  it('a cursor without an offset is a 400 (invalid), not a silent first page', () => {
    const foreign = Buffer.from(JSON.stringify({ id: 'x' })).toString('base64url');
    expect(() => memoryPage(items, { cursor: foreign })).toThrow('Invalid request: cursor');
  });
});
