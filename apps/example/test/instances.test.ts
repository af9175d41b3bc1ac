// Unit tests of the example's listing logic on mockClient: no server, no emulator, typed answers.
import { mockClient } from '@x/client/mock';
import { cvm } from '@x/services/cvm';
import { describe, expect, it } from 'vitest';
import { listInstanceRows } from '../src/instances';

const instance = (n: number) => ({
  InstanceId: `ins-${String(n).padStart(8, '0')}`,
  InstanceName: `web-${n}`,
  InstanceState: 'RUNNING',
});

describe('list-instances on a mocked cvm client', () => {
  it('shows the first page and says how many there are', async () => {
    const mock = mockClient(cvm);
    mock.on('DescribeInstances', { Limit: 20 }).resolves({ TotalCount: 45, InstanceSet: [instance(1), instance(2)] });
    const { rows, summary } = await listInstanceRows(mock, false);
    expect(rows.map((r) => r['InstanceId'])).toEqual(['ins-00000001', 'ins-00000002']);
    expect(summary).toBe('showing 2 of 45 instances (--all for every page)');
    expect(mock.calls()).toEqual([
      { action: 'DescribeInstances', params: { Limit: 20 }, via: 'call', region: 'ap-guangzhou' },
    ]);
  });

  it('--all reads every page, reporting progress per page', async () => {
    const mock = mockClient(cvm);
    const all = Array.from({ length: 45 }, (_, i) => instance(i));
    mock.on('DescribeInstances').callsFake(({ Offset = 0, Limit = 20 }) => ({
      TotalCount: all.length,
      InstanceSet: all.slice(Offset, Offset + Limit),
    }));
    const progress: string[] = [];
    const { rows, summary } = await listInstanceRows(mock, true, (line) => progress.push(line));
    expect(rows).toHaveLength(45);
    expect(progress).toEqual([
      'fetching page 1… 20 instances so far',
      'fetching page 2… 40 instances so far',
      'fetching page 3… 45 instances so far',
    ]);
    expect(summary).toBe('fetched 45 instances in 3 pages.');
  });

  it('lets a typed API error through, with its RequestId and hint', async () => {
    const mock = mockClient(cvm, { language: 'zh-CN' });
    mock.on('DescribeInstances').rejects('AuthFailure.SignatureFailure');
    const err = await listInstanceRows(mock, false).catch((e: unknown) => e);
    expect(
      mock.isError(err, 'DescribeInstances', 'AuthFailure') && [
        err.code,
        err.requestId.length,
        err.hint?.includes('SecretKey'),
      ],
    ).toEqual(['AuthFailure.SignatureFailure', 36, true]);
  });
});
