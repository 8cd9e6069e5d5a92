import { errorBox, type Context } from './context.js';
import { h, show, type Child } from './dom.js';
import type { Page } from './types.js';

export interface PagedTableOptions<T> {
  /** The table's class, next to `responsive`. */
  tableClass: string;
  /** The header cells. */
  head: Child[];
  /** One page of 50 from the API, after `cursor`. */
  fetch(cursor: string | undefined): Promise<Page<T>>;
  row(item: T): HTMLTableRowElement;
  /** A failed page: `replace` shows only the error, `append` keeps the rows loaded so far. */
  onError: 'replace' | 'append';
}

/** Shows a table in `list` whose rows come a page at a time, with a "load more" button, and loads the first page. */
export async function showPagedTable<T>(ctx: Context, list: HTMLElement, options: PagedTableOptions<T>): Promise<void> {
  const { t } = ctx;
  const tbody = h('tbody');
  const more = h('button', { type: 'button', class: 'secondary', hidden: true }, t('common.loadMore'));
  let cursor: string | undefined;
  const loadPage = async (): Promise<void> => {
    more.disabled = true;
    try {
      const page = await options.fetch(cursor);
      for (const item of page.items) tbody.appendChild(options.row(item));
      cursor = page.nextCursor ?? undefined;
      more.hidden = !cursor;
      if (tbody.rows.length === 0) show(list, h('p', {}, t('common.none')));
    } catch (error) {
      if (options.onError === 'replace') show(list, errorBox(t, error));
      else list.appendChild(errorBox(t, error));
    } finally {
      more.disabled = false;
    }
  };
  more.addEventListener('click', () => void loadPage());
  show(
    list,
    h('div', { class: 'table-wrap' }, h('table', { class: `responsive ${options.tableClass}` }, h('thead', {}, h('tr', {}, options.head)), tbody)),
    more,
  );
  await loadPage();
}
