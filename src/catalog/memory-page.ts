import { InvalidError } from '../common/errors.js';
import { decodeCursor, toPage, type Page, type PageQueryDto } from '../common/pagination.js';

/**
 * A page of a list the server holds whole in memory and that a constant bounds (the price catalog, the GPU and
 * open-model reference data). Without `limit` or `cursor` the whole list is answered, as before pagination existed
 * (nextCursor null), so clients that never paged keep every row; with them, offset pages over the list's fixed order.
 */
export function memoryPage<T>(items: readonly T[], q: Pick<PageQueryDto, 'limit' | 'cursor'>): Page<T> {
  if (q.limit === undefined && !q.cursor) return { data: [...items], nextCursor: null };
  const offset = q.cursor ? decodeCursor<{ o?: unknown }>(q.cursor)?.o : 0;
  if (typeof offset !== 'number') throw new InvalidError('Invalid request: cursor', [{ field: 'cursor', message: 'is not a cursor returned by this API' }]);
  const limit = q.limit ?? 100;
  return toPage(items.slice(offset, offset + limit + 1), limit, () => ({ o: offset + limit }));
}
