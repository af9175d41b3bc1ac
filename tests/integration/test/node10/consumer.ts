// A project on `moduleResolution: node10` (TypeScript's old default, still common): it ignores
// package.json `exports`, so subpaths resolve only through `typesVersions`. Type-checked by
// ../node10.test.ts; never run.
import { createClient, type Client } from '@x/client';
import { mockClient } from '@x/client/mock';
import { fromEnv } from '@x/credentials';
import { describeError } from '@x/errors';
import { serviceVersions } from '@x/services';
import { cvm, type CvmApi } from '@x/services/cvm';
import { cvmErrors } from '@x/services/cvm/errors';
import { cvm as cvm2017 } from '@x/services/cvm/v20170312';
import { vpc } from '@x/services/vpc';

export const client: Client<CvmApi> = createClient(cvm, {
  region: 'ap-guangzhou',
  credentials: fromEnv(),
  catalogs: [cvmErrors],
});
export const same: Client<CvmApi> = createClient(cvm2017);
export const mock: Client<CvmApi> = mockClient(cvm);
export const vpcClient = createClient(vpc);
export const versions: number = serviceVersions.length;
export const hint: string | undefined = describeError('AuthFailure.SignatureFailure')?.hint;
// @ts-expect-error the types are real: a misspelt action does not compile
void client.call('DescribeInstance');
