// A Cloudflare Worker (run by workerd): each request runs the smoke program with the emulator
// coordinates given in the query string and answers its result as JSON.
import { smoke } from './smoke.mjs';

export default {
  async fetch(request) {
    const env = Object.fromEntries(new URL(request.url).searchParams);
    try {
      return Response.json(await smoke(env));
    } catch (err) {
      return new Response(String(err && err.stack ? err.stack : err), { status: 500 });
    }
  },
};
