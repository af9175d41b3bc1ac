// Entry for Bun and Deno: `bun smoke/cli.mjs`, `deno run -A smoke/cli.mjs`.
import { smoke } from './smoke.mjs';

const env = globalThis.Deno ? Deno.env.toObject() : process.env;
smoke(env).then(
  (result) => console.log(JSON.stringify(result)),
  (err) => {
    console.error(err);
    if (globalThis.Deno) Deno.exit(1);
    else process.exit(1);
  },
);
