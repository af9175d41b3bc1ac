// The demo the root README's first command runs. Until apps/example exists (issue 7) it shows what
// the built packages can already do; it talks to no network.
import { ApiError, describeError, isApiError } from '@x/errors';

const codes = ['RequestLimitExceeded.UinLimitExceeded.Foo', 'InvalidParameterValue.InstanceIdMalformed', 'AuthFailure.SignatureExpire'];
for (const code of codes) {
  const d = describeError(code, { locale: 'zh-CN' });
  console.log(`${code}\n  → ${d?.matchedCode} [${d?.category}${d?.retryable ? ', retryable' : ''}] ${d?.text}`);
}
const err = new ApiError({
  code: 'AuthFailure.SignatureExpire',
  serverMessage: 'Signature expired.',
  requestId: 'ed93f3cb-f35e-473f-b9f3-0d451b8b79c6',
  service: 'cvm',
  action: 'DescribeInstances',
  region: 'ap-guangzhou',
});
console.log(`\n${err.message}\nisApiError(err, 'AuthFailure') = ${isApiError(err, 'AuthFailure')}`);
