import type { Client } from '@x/client';
import type { CvmApi } from '@x/services/cvm';

/** What `list-instances` shows: the rows, and a line about how they were fetched. */
export interface InstanceListing {
  readonly rows: Record<string, unknown>[];
  readonly summary: string;
}

/**
 * The instances of a cvm client: the first page, or every page (`all`), reporting progress page by
 * page. Takes any `Client<CvmApi>`, so its tests run on `mockClient(cvm)` without a server.
 */
export async function listInstanceRows(
  cvm: Client<CvmApi>,
  all: boolean,
  progress: (line: string) => void = () => {},
  pageSize = 20,
): Promise<InstanceListing> {
  const rows: Record<string, unknown>[] = [];
  if (!all) {
    const page = await cvm.call('DescribeInstances', { Limit: pageSize });
    rows.push(...(page.InstanceSet ?? []).map((i) => ({ ...i })));
    return {
      rows,
      summary: `showing ${rows.length} of ${page.TotalCount ?? rows.length} instances (--all for every page)`,
    };
  }
  let pages = 0;
  for await (const page of cvm.paginate('DescribeInstances', {}, { items: 'InstanceSet', pageSize }).pages()) {
    pages++;
    rows.push(...page.items.map((i) => ({ ...i })));
    progress(`fetching page ${pages}… ${rows.length} instances so far`);
  }
  return { rows, summary: `fetched ${rows.length} instances in ${pages} pages.` };
}
