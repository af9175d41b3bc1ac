// The same smoke program for every runtime: createClient, a call, a typed error, a stream, and
// multipart and raw bodies (bytes hashed and sent by each runtime's own crypto and sender).
// Prints one JSON line; reads where the emulator is from the environment (or `globalThis.SMOKE`).
import { createClient, isApiError } from '@x/client';
import { createTransport } from '@x/transport';

export async function smoke(env) {
  const options = {
    region: 'ap-guangzhou',
    endpoint: env.ENDPOINT,
    credentials: { secretId: env.SECRET_ID, secretKey: env.SECRET_KEY },
    retry: false,
  };
  const cvm = createClient({ service: 'cvm', version: '2017-03-12', ...options });
  const { TotalCount } = await cvm.call('DescribeInstances', { Limit: 1 });
  let typedError = 'none';
  try {
    await cvm.call('DescribeInstances', { Limit: 1000 });
  } catch (err) {
    typedError = isApiError(err, 'InvalidParameterValue') && err.requestId ? err.code : `wrong: ${err}`;
  }
  const hunyuan = createClient({ service: 'hunyuan', version: '2023-09-01', ...options });
  let streamed = '';
  for await (const event of await hunyuan.stream('ChatCompletions', {
    Model: 'hunyuan-lite',
    Stream: true,
    Messages: [{ Role: 'user', Content: 'hi' }],
  })) {
    streamed += event.Choices[0].Delta.Content;
  }
  const cii = createTransport({ service: 'cii', version: '2021-04-08', ...options });
  const upload = await cii.call(
    'UploadMedicalFile',
    { FileURL: 'https://example.com/病历.pdf', File: new Uint8Array([0, 255, 13, 10]) },
    { multipart: true },
  );
  const raw = await cii.call('UploadMedicalFile', {}, { body: new Uint8Array([1, 2, 3]) });
  return { TotalCount, typedError, streamed, bodies: `${upload.data.Seen} | ${raw.data.Seen}` };
}
