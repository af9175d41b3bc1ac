// Node built-ins loaded when first needed, not at import: node:tls alone costs ~17 ms of a cold
// start on Node 20, and a client that never opens a socket (a user's fetch, a mock) never pays.
import { createRequire } from 'node:module';
import type * as NodeCrypto from 'node:crypto';
import type * as NodeNet from 'node:net';
import type * as NodeTls from 'node:tls';

type Load = (id: string) => unknown;
let load: Load | undefined;

/**
 * `process.getBuiltinModule` (Node >= 20.16, Bun, Deno); before it, the CJS build's own `require`
 * or, in the ESM build, a `require` made for this file (node:module is part of Node's bootstrap:
 * importing it is free). `typeof require` cannot tell the builds apart: the ESM bundle has a
 * `require` stub that throws.
 */
function loader(): Load {
  const proc = globalThis.process as { getBuiltinModule?: Load } | undefined;
  if (typeof proc?.getBuiltinModule === 'function') return proc.getBuiltinModule.bind(proc);
  return typeof __filename === 'string' ? (require as Load) : createRequire(import.meta.url);
}

function builtin<T>(id: string): () => T {
  let module: T | undefined;
  return () => (module ??= (load ??= loader())(id) as T);
}

export const nodeTls = builtin<typeof NodeTls>('node:tls');
export const nodeNet = builtin<typeof NodeNet>('node:net');
export const nodeCrypto = builtin<typeof NodeCrypto>('node:crypto');
