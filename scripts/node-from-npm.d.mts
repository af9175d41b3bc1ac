/** The Node versions the test suite runs on besides the machine's (Node 20), pinned so CI is reproducible. */
export declare const TESTED_NODE_VERSIONS: Readonly<Record<string, string>>;
/** Where unpacked binaries are kept: `$X_NODE_CACHE`, else a folder in the OS temp dir. */
export declare function nodeCacheDir(): string;
/** `24` → its pinned version; `24.22.3` stays as is. Throws on anything else. */
export declare function nodeVersionFor(spec: string | number): string;
/** The path of a Node binary of the given version, packed from npm and unpacked into the cache on first use. */
export declare function nodeFromNpm(spec: string | number): string;
