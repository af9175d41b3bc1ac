import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describeError, type ErrorCatalog } from '@x/errors';
import { describe, expect, it } from 'vitest';
import { cvmErrors } from '@x/services/cvm/errors';
import { cvm } from '@x/services/cvm';
import { cvm as cvm20170312 } from '@x/services/cvm/v20170312';
import { serviceVersions, SOURCE_SDK_VERSION, type ServiceSchema } from '@x/services';

interface Entry {
  readonly service: string;
  readonly version: string;
  readonly errorCodes: number;
  readonly streaming?: Record<string, string>;
  readonly multipart?: readonly string[];
  readonly dryRun?: Readonly<Record<string, string>>;
  readonly textPaging?: Readonly<Record<string, readonly string[]>>;
}
const manifest = JSON.parse(readFileSync(new URL('../manifest.json', import.meta.url), 'utf8')) as {
  services: Entry[];
};
const dir = (entry: Entry) => `${entry.service}/v${entry.version.replaceAll('-', '')}`;
const constName = (service: string) => service;
const require = createRequire(import.meta.url);

describe('descriptors', () => {
  it('carry the service, the version and nothing a plain call does not need', () => {
    // dryRun: the actions whose params declare DryRun, so that client.dryRun refuses the others.
    expect(cvm).toEqual({
      service: 'cvm',
      version: '2017-03-12',
      streaming: {},
      dryRun: expect.objectContaining({ RunInstances: 'boolean' }),
    });
    expect(Object.keys(cvm.dryRun)).toHaveLength(13);
    expect(cvm20170312).toEqual(cvm);
    expect(SOURCE_SDK_VERSION).toBe('4.1.313');
    expect(serviceVersions).toHaveLength(298);
    expect(serviceVersions.filter((v) => v.newest)).toHaveLength(260);
  });

  it('load for every service-version, as ESM and CommonJS, with the manifest flags', async () => {
    for (const entry of manifest.services) {
      const esm = (await import(`@x/services/${dir(entry)}`)) as Record<string, unknown>;
      const cjs = require(`@x/services/${dir(entry)}`) as Record<string, unknown>;
      const expected = {
        service: entry.service,
        version: entry.version,
        streaming: entry.streaming ?? {},
        ...(entry.multipart ? { multipart: entry.multipart } : {}),
        dryRun: entry.dryRun ?? {},
        ...(entry.textPaging ? { textPaging: entry.textPaging } : {}),
      };
      expect(esm[constName(entry.service)], dir(entry)).toMatchObject(expected);
      expect(cjs[constName(entry.service)], dir(entry)).toEqual(esm[constName(entry.service)]);
    }
  });

  it('the bare service name is its newest version', async () => {
    for (const info of serviceVersions.filter((v) => v.newest)) {
      const bare = (await import(`@x/services/${info.service}`)) as Record<string, { version: string }>;
      expect(bare[info.service]?.version, info.service).toBe(info.version);
    }
  });
});

describe('error catalogs', () => {
  it('describe a cvm code in both languages, and fall back to dotted ancestors', () => {
    expect(describeError('InvalidInstanceId.NotFound', { catalogs: [cvmErrors], locale: 'en-US' })?.text).toBe(
      'No instance found.',
    );
    expect(describeError('InvalidInstanceId.NotFound', { catalogs: [cvmErrors], locale: 'zh-CN' })?.text).toBe(
      '没有找到相应实例。',
    );
    expect(describeError('InvalidInstanceId.NotFound', { catalogs: [cvmErrors] })).toMatchObject({
      catalog: 'cvm',
      exact: true,
      category: 'unknown',
      retryable: false,
    }); // no common ancestor: see the README;
    expect(describeError('InvalidInstanceId.NotFound.Deeper', { catalogs: [cvmErrors] })).toMatchObject({
      matchedCode: 'InvalidInstanceId.NotFound',
      exact: false,
    });
    expect(describeError('FailedOperation.SomethingNew', { catalogs: [cvmErrors] })).toMatchObject({
      catalog: 'common',
      matchedCode: 'FailedOperation',
    });
    expect(describeError('ResourceInsufficient.SpecifiedInstanceType', { catalogs: [cvmErrors] })).toMatchObject({
      catalog: 'cvm',
      category: 'resource',
    }); // as the common ResourceInsufficient;
  });

  it('give the zh-CN text for en-US where the sources have no English', async () => {
    const data = JSON.parse(
      readFileSync(new URL('../data/tencentcloud-error-codes.json', import.meta.url), 'utf8'),
    ) as {
      services: Record<string, Record<string, { codes: Record<string, { 'zh-CN'?: string; 'en-US'?: string }> }>>;
    };
    let checked = 0;
    for (const entry of manifest.services) {
      const codes = data.services[entry.service]?.[entry.version]?.codes ?? {};
      const zhOnly = Object.entries(codes).find(
        ([code, t]) => t['en-US'] === undefined && t['zh-CN'] !== undefined && /^[\w-]+(\.[\w-]+)*$/.test(code),
      );
      if (!zhOnly) continue;
      const { [`${entry.service}Errors`]: catalog } = (await import(`@x/services/${dir(entry)}/errors`)) as Record<
        string,
        ErrorCatalog
      >;
      expect(describeError(zhOnly[0], { catalogs: [catalog!], locale: 'en-US' })?.text).toBe(zhOnly[1]['zh-CN']);
      if (++checked === 5) break;
    }
    expect(checked).toBe(5);
  });

  it('load for every service-version with every code of the manifest', async () => {
    for (const entry of manifest.services) {
      const module = (await import(`@x/services/${dir(entry)}/errors`)) as Record<string, ErrorCatalog>;
      const catalog = module[`${entry.service}Errors`];
      expect(catalog?.name, dir(entry)).toBe(entry.service);
      expect(Object.keys(catalog!.entries).length, dir(entry)).toBe(entry.errorCodes);
    }
  });
});

describe('runtime schemas', () => {
  const TYPE_CODE = /^\[*(?:[snbi]|\d+)!?$/;
  it('load for every service-version as ESM and CommonJS, every type code and index resolving, flags as the descriptor', async () => {
    let actions = 0;
    for (const entry of manifest.services) {
      const { schema } = (await import(`@x/services/${dir(entry)}/schema`)) as { schema: ServiceSchema };
      expect((require(`@x/services/${dir(entry)}/schema`) as { schema: ServiceSchema }).schema, dir(entry)).toEqual(
        schema,
      );
      expect(schema).toMatchObject({ service: entry.service, version: entry.version });
      const badCodes = schema.structs
        .flatMap((fields) => Object.values(fields ?? {}))
        .filter((code) => !TYPE_CODE.test(code) || Number(/\d+/.exec(code)?.[0] ?? 0) >= schema.structs.length);
      expect(badCodes, dir(entry)).toEqual([]);
      const streaming: Record<string, string> = {};
      const multipart: string[] = [];
      for (const [name, [input, output, errors, stream, isMultipart]] of Object.entries(schema.actions)) {
        expect(schema.structs[input], `${dir(entry)} ${name}`).not.toBeUndefined();
        expect(schema.structs[output], `${dir(entry)} ${name}`).not.toBeUndefined();
        expect(errors.every((i) => schema.codes[i] !== undefined)).toBe(true);
        if (typeof stream === 'string') streaming[name] = stream;
        if (isMultipart === 1) multipart.push(name);
        actions++;
      }
      expect(streaming, dir(entry)).toEqual(entry.streaming ?? {});
      expect(multipart, dir(entry)).toEqual(entry.multipart ?? []);
    }
    expect(actions).toBe(15_745);
  });

  it('describe cvm as its models do: required input params, nested structs, documented codes, no RequestId in outputs', async () => {
    const { schema } = (await import('@x/services/cvm/v20170312/schema')) as { schema: ServiceSchema };
    const [input, output, errors] = schema.actions['DescribeInstances']!;
    const fields = schema.structs[input]!;
    expect(Object.keys(fields)).toEqual(['InstanceIds', 'Filters', 'Offset', 'Limit']);
    const filter = schema.structs[Number(/\d+/.exec(fields['Filters']!)![0])]!;
    expect(fields['Filters']).toMatch(/^\[\d+$/);
    expect(filter).toEqual({ Name: 's!', Values: '[s!' });
    expect(Object.keys(schema.structs[output]!)).toEqual(['TotalCount', 'InstanceSet']);
    const runInstances = schema.actions['RunInstances']!;
    expect(runInstances[2].map((i) => schema.codes[i])).toContain('ResourceInsufficient.SpecifiedInstanceType');
    expect(errors.map((i) => schema.codes[i])).toContain('InvalidFilter');
  });
});
