// Apart from env.ts (fromEnv): the region lookup of every client's first call reads the
// environment, the env provider only runs in the default chain (loaded on demand; see split/).

/** An environment to read: `process.env` by default. */
export type Environment = Readonly<Record<string, string | undefined>>;

/** The runtime's environment, or undefined where there is none (browsers, Workers). */
export function runtimeEnv(): Environment | undefined {
  const proc = (globalThis as { process?: { env?: Environment } }).process;
  return proc?.env;
}
