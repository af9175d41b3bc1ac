import { UsageError, isApiError } from '@x/errors';
import type { CallOptions as TransportCallOptions, Transport } from '@x/transport';
import type { ServiceDescriptor } from './api';
import type { DryRunResult } from './client';

// client.dryRun, loaded by its first call (a separate chunk in browser bundles).

/**
 * The DryRun value to send for `action`: `true` (`"true"` where the definitions type it as a
 * string). A descriptor that lists the actions taking DryRun (generated ones do) refuses the
 * others: the server would ignore the flag and run the action for real. Without that list (an
 * untyped client, a hand-written descriptor) the request is sent and the server decides.
 */
export function dryRunValue(descriptor: ServiceDescriptor, action: string): boolean | string {
  const known = descriptor.dryRun;
  if (known === undefined) return true;
  if (!Object.prototype.hasOwnProperty.call(known, action)) {
    throw new UsageError(
      `${descriptor.service} ${action} has no DryRun param, so the server would run it for real: use call()`,
      { argument: 'action', service: descriptor.service, action },
    );
  }
  return known[action] === 'string' ? 'true' : true;
}

/** `client.dryRun`: refused before sending where the action has no DryRun param (see {@link dryRunValue}). */
export async function dryRunCall(
  transport: Transport,
  descriptor: ServiceDescriptor,
  action: string,
  params: object | undefined,
  options: TransportCallOptions,
): Promise<DryRunResult> {
  const DryRun = dryRunValue(descriptor, action);
  try {
    const result = await transport.call(
      action,
      { ...(params as Record<string, unknown> | undefined), DryRun },
      options,
    );
    return { dryRun: 'not-supported', requestId: result.requestId, data: result.data };
  } catch (err) {
    if (isApiError(err, 'DryRunOperation')) return { dryRun: 'would-succeed', requestId: err.requestId };
    throw err;
  }
}
