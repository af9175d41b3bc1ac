import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error the generator is plain JavaScript without declarations (a dev-only script)
import { generate, MANIFEST } from '../scripts/generate.mjs';

interface ServiceEntry {
  readonly service: string;
  readonly version: string;
  readonly actions: number;
  readonly streaming?: Record<string, string>;
  readonly streamHosts?: Record<string, string>;
  readonly multipart?: readonly string[];
  readonly files: Record<string, string>;
}
interface Manifest {
  readonly sources: { readonly types: { readonly version: string } };
  readonly totals: Record<string, number>;
  readonly shared: Record<string, string>;
  readonly services: readonly ServiceEntry[];
}

const committed = JSON.parse(readFileSync(MANIFEST, 'utf8')) as Manifest;
const { manifest, files } = generate() as { manifest: Manifest; files: Map<string, string> };
const hash = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 16);

describe('the generated package', () => {
  it('is what the committed manifest records (regenerated from the pinned inputs)', () => {
    // A diff here means the generator or an input changed: run `npm run update -w @x/services` and review manifest.json.
    expect(manifest).toEqual(committed);
  });

  it('covers every service-version and action of tencentcloud-sdk-nodejs 4.1.313', () => {
    expect(committed.sources.types.version).toBe('4.1.313');
    expect(committed.totals).toMatchObject({ serviceVersions: 298, services: 260, actions: 15745, models: 46528 });
    expect(committed.services.reduce((n, s) => n + s.actions, 0)).toBe(15745);
  });

  it('marks the streaming and multipart actions', () => {
    const entry = (service: string, version: string) =>
      committed.services.find((s) => s.service === service && s.version === version);
    expect(entry('hunyuan', '2023-09-01')?.streaming).toEqual({
      ChatCompletions: 'Stream',
      ChatTranslations: 'Stream',
      GroupChatCompletions: 'Stream',
      ImageQuestion: 'Stream',
      RunThread: 'Stream',
    });
    expect(entry('cls', '2020-10-16')?.streaming).toEqual({ ChatCompletions: 'Stream' });
    expect(entry('cls', '2020-10-16')?.streamHosts).toEqual({ ChatCompletions: 'cls.ai.tencentcloudapi.com' });
    expect(entry('tdai', '2025-07-17')?.streaming?.['CreateChatCompletion']).toBe('');
    expect(entry('cii', '2021-04-08')?.multipart).toEqual(['DescribeQualityScore', 'UploadMedicalFile']);
    const sse = committed.services.flatMap((s) =>
      Object.entries(s.streaming ?? {}).filter(([action]) => action.endsWith('SSE')),
    );
    expect(sse.length).toBeGreaterThanOrEqual(2);
    expect(sse.every(([, switchParam]) => switchParam === '')).toBe(true);
  });

  it('has in dist/ exactly the files it generates (the build is current)', () => {
    const distRoot = new URL('../dist/', import.meta.url);
    for (const [path, text] of files) {
      expect(hash(readFileSync(new URL(path, distRoot), 'utf8')), path).toBe(hash(text));
    }
  });
});

describe('what the descriptors tell the client', () => {
  const sum = (
    pick: (
      s: ServiceEntry & { dryRun?: Record<string, string>; textPaging?: Record<string, string[]> },
    ) => object | undefined,
  ) => committed.services.reduce((n, s) => n + Object.keys(pick(s) ?? {}).length, 0);
  it('lists the 76 actions whose params declare DryRun (dryRun() refuses the others)', () => {
    expect(sum((s) => s.dryRun)).toBe(76);
  });
  it('lists the 21 Offset/Limit listings whose definitions type Offset or Limit as strings (vpc DescribeVpcs...)', () => {
    expect(sum((s) => s.textPaging)).toBe(21);
    expect(committed.services.find((s) => s.service === 'vpc')).toMatchObject({
      textPaging: { DescribeVpcs: ['Offset', 'Limit'] },
    });
  });
});
