import { createRequire } from 'node:module';
import { serviceVersions, type SchemaAction, type ServiceSchema } from '@x/services';
import type { ErrorCatalog } from '@x/errors';

/** A parsed field type: how many array levels, then a scalar kind or a struct index. */
export interface FieldType {
  readonly arrayDepth: number;
  /** `s` string, `n` number, `b` boolean, `i` 64-bit integer, or a struct index. */
  readonly base: 's' | 'n' | 'b' | 'i' | number;
  readonly required: boolean;
}

/** One action of a loaded schema, with its structs resolved lazily through the schema. */
export interface ActionSchema {
  readonly name: string;
  readonly schema: ServiceSchema;
  readonly input: number;
  readonly output: number;
  /** The documented error codes. */
  readonly errors: readonly string[];
  /**
   * The boolean param that switches streaming on, `''` when the action always streams, undefined
   * when it never does.
   */
  readonly streaming: string | undefined;
  readonly multipart: boolean;
}

const parsed = new Map<string, FieldType>();

/** Parses a schema type code (`[12!`: an array of struct 12, required); memoized, the codes repeat a lot. */
export function fieldType(code: string): FieldType {
  let type = parsed.get(code);
  if (type) return type;
  let depth = 0;
  while (code[depth] === '[') depth++;
  const required = code.endsWith('!');
  const base = code.slice(depth, required ? -1 : undefined);
  type = {
    arrayDepth: depth,
    base: base === 's' || base === 'n' || base === 'b' || base === 'i' ? base : Number(base),
    required,
  };
  parsed.set(code, type);
  return type;
}

export function actionOf(schema: ServiceSchema, name: string): ActionSchema | undefined {
  if (!Object.prototype.hasOwnProperty.call(schema.actions, name)) return undefined;
  const [input, output, errors, streaming, multipart]: SchemaAction = schema.actions[name]!;
  return {
    name,
    schema,
    input,
    output,
    errors: errors.map((i) => schema.codes[i]!),
    streaming: streaming === null || streaming === undefined ? undefined : streaming,
    multipart: multipart === 1,
  };
}

/** `2017-03-12` → `v20170312`, the folder of a service-version in @x/services. */
const dirOf = (version: string) => `v${version.replaceAll('-', '')}`;

const known = new Map<string, Set<string>>();
for (const { service, version } of serviceVersions) {
  let versions = known.get(service);
  if (!versions) known.set(service, (versions = new Set()));
  versions.add(version);
}

/** Whether @x/services knows the service, and the versions it knows. */
export function knownVersions(service: string): ReadonlySet<string> | undefined {
  return known.get(service);
}

/**
 * A module path is built only from a known service and version: nothing from a request reaches
 * `import()` unchecked.
 */
function modulePath(service: string, version: string, file: 'schema' | 'errors'): string | undefined {
  if (!known.get(service)?.has(version)) return undefined;
  return `@x/services/${service}/${dirOf(version)}/${file}`;
}

// The emulator is Node-only; a synchronous require serves checks made from synchronous APIs (faults.add).
const requireSync = createRequire(typeof __filename === 'string' ? __filename : import.meta.url);

/**
 * The schemas and error catalogs of the services an emulator has been asked about, loaded on
 * first use (one dynamic import per service-version) and kept: the start-up cost stays that of
 * the 298-entry service list, whatever the number of services.
 */
export class SchemaStore {
  private readonly schemas = new Map<string, ServiceSchema | Promise<ServiceSchema>>();
  private readonly catalogs = new Map<string, Promise<ErrorCatalog>>();

  /** The schema of a known service-version (undefined for one @x/services does not know). */
  async load(service: string, version: string): Promise<ServiceSchema | undefined> {
    const path = modulePath(service, version, 'schema');
    if (!path) return undefined;
    const key = `${service}@${version}`;
    let entry = this.schemas.get(key);
    if (!entry) {
      entry = import(path).then((m: { schema: ServiceSchema }) => {
        this.schemas.set(key, m.schema);
        return m.schema;
      });
      this.schemas.set(key, entry);
    }
    return entry;
  }

  /**
   * The same, synchronously (for checks inside synchronous APIs). `transient`: a look-up across
   * many services that keeps nothing it did not already hold.
   */
  loadSync(service: string, version: string, transient = false): ServiceSchema | undefined {
    const path = modulePath(service, version, 'schema');
    if (!path) return undefined;
    const key = `${service}@${version}`;
    const entry = this.schemas.get(key);
    if (entry && !(entry instanceof Promise)) return entry;
    const resolved = requireSync.resolve(path);
    const cached = resolved in requireSync.cache;
    const { schema } = requireSync(resolved) as { schema: ServiceSchema };
    if (transient && !cached) delete requireSync.cache[resolved];
    else if (!entry) this.schemas.set(key, schema);
    return schema;
  }

  /** The error catalog of a known service-version. */
  async catalog(service: string, version: string): Promise<ErrorCatalog | undefined> {
    const path = modulePath(service, version, 'errors');
    if (!path) return undefined;
    const key = `${service}@${version}`;
    let entry = this.catalogs.get(key);
    if (!entry) {
      const name = `${service.replace(/[-_](\w)/g, (_, c: string) => c.toUpperCase())}Errors`;
      entry = import(path).then((m: Record<string, ErrorCatalog>) => m[name]!);
      this.catalogs.set(key, entry);
    }
    return entry;
  }
}
