// An answer whose whole body came with its head is handed over as one chunk in an array (read in
// one turn, no queue); any other body stays an async iterable read as it arrives.
import { afterEach, describe, expect, it } from 'vitest';
import { readBody } from '@x/envelope';
import { json, runCleanups, setup } from './raw-server';

afterEach(runCleanups);

const post = { method: 'POST' as const, headers: {}, body: '{}', signal: new AbortController().signal };

describe('http1: bodies that came with their head', () => {
  it('a Content-Length body read whole with its head is an array of one chunk; the connection is reused', async () => {
    const { url, sender, connections } = await setup((socket) => socket.write(json('{"Response":{}}')));
    const first = await sender({ ...post, url: `${url}/` });
    expect(Array.isArray(first.body)).toBe(true);
    expect(new TextDecoder().decode(await readBody(first))).toBe('{"Response":{}}');
    await readBody(await sender({ ...post, url: `${url}/` }));
    expect(connections()).toBe(1);
  });

  it('bytes past the Content-Length are cut off and the connection is not reused', async () => {
    const { url, sender, connections } = await setup((socket) => socket.write(`${json('{}')}EXTRA`));
    const response = await sender({ ...post, url: `${url}/` });
    expect(new TextDecoder().decode(await readBody(response))).toBe('{}');
    await readBody(await sender({ ...post, url: `${url}/` }));
    expect(connections()).toBe(2);
  });

  it('a body still coming after its head is read as it arrives', async () => {
    // The rest of the body is written only once the head was handed over: a pause would not do
    // on a loaded machine, where both writes can arrive in one read (and the body is then whole).
    let rest: (() => void) | undefined;
    const { url, sender } = await setup((socket) => {
      socket.write('HTTP/1.1 200 OK\r\nContent-Length: 15\r\n\r\n{"Resp');
      rest = () => socket.write('onse":{}}');
    });
    const response = await sender({ ...post, url: `${url}/` });
    expect(Array.isArray(response.body)).toBe(false);
    rest!();
    expect(new TextDecoder().decode(await readBody(response))).toBe('{"Response":{}}');
  });
});
