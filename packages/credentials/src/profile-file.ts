import { homedir } from 'node:os';
import { join } from 'node:path';
import { CredentialsError, isTencentCloudError, type CredentialAttempt } from '@x/errors';
import { makeCredentials, type CredentialProvider } from './credentials';
import { runtimeEnv } from './runtime-env';
import { parseIni } from './ini';
import { ENV_PROFILE, type FromProfileOptions } from './profile-options';
import { checkedRegion, regionFromEnv, type ConfiguredRegionReader } from './region';

/** node:fs/promises, imported when a file is first read: it is not free at start-up (it loads readline). */
export const readTextFile = async (path: string): Promise<string> =>
  (await import('node:fs/promises')).readFile(path, 'utf8');

/** The files {@link fromProfile} reads, in order. */
export function profileFiles(options: FromProfileOptions = {}): string[] {
  if (options.file !== undefined) return [options.file];
  const env = options.env ?? runtimeEnv() ?? {};
  const home = env['HOME'] ?? env['USERPROFILE'] ?? homedir();
  return [join(home, '.tencentcloud', 'credentials'), '/etc/tencentcloud/credentials'];
}

/**
 * Credentials from the INI profile file of the official SDKs: section `[<profile>]` with
 * `secret_id`, `secret_key` and optionally `token`. The first file that exists is used; a
 * profile missing from it is an error (the next file is not consulted, as in the official SDKs).
 * Node-only (Bun and Deno through their Node compatibility).
 */
export function fromProfile(options: FromProfileOptions = {}): CredentialProvider {
  return async () => {
    const env = options.env ?? runtimeEnv() ?? {};
    const profile = options.profile ?? env[ENV_PROFILE] ?? 'default';
    const tried: CredentialAttempt[] = [];
    const fail = (file: string, reason: string, cause?: unknown) => {
      tried.push({ provider: `profile ${profile} (${file})`, reason });
      return new CredentialsError({ detail: `No credentials from profile ${profile}`, tried, cause });
    };
    for (const file of profileFiles(options)) {
      let text: string;
      try {
        text = await readTextFile(file);
      } catch (err) {
        const code = (err as { code?: unknown }).code;
        if (code === 'ENOENT' || code === 'ENOTDIR') {
          tried.push({ provider: `profile ${profile} (${file})`, reason: 'file not found' });
          continue;
        }
        throw fail(file, `cannot read the file (${String(code ?? err)})`, err);
      }
      const section = parseIni(text).get(profile);
      if (section === undefined) throw fail(file, `the file has no [${profile}] section`);
      const secretId = section.get('secret_id');
      const secretKey = section.get('secret_key');
      if (!secretId || !secretKey) throw fail(file, `[${profile}] needs both secret_id and secret_key`);
      const token = section.get('token');
      try {
        return makeCredentials(
          { secretId, secretKey, token: token === '' ? undefined : token },
          { secretId: `[${profile}] secret_id`, secretKey: `[${profile}] secret_key`, token: `[${profile}] token` },
        );
      } catch (err) {
        throw fail(file, isTencentCloudError(err) ? err.message : 'invalid values', err);
      }
    }
    throw new CredentialsError({ detail: `No credentials from profile ${profile}`, tried });
  };
}

/**
 * `TENCENTCLOUD_REGION`, else the `region` key of the profile (`TENCENTCLOUD_PROFILE`, else
 * `default`) in the first profile file that exists; undefined when neither says.
 */
export const configuredRegion: ConfiguredRegionReader = async (options = {}) => {
  const env = options.env ?? runtimeEnv() ?? {};
  const fromEnv = regionFromEnv(env);
  if (fromEnv !== undefined) return fromEnv;
  const profile = options.profile ?? env[ENV_PROFILE] ?? 'default';
  // Stryker disable next-line ConditionalExpression: profileFiles treats { file: undefined } as no file
  for (const file of profileFiles(options.file === undefined ? { env } : { env, file: options.file })) {
    let text: string;
    try {
      text = await readTextFile(file);
    } catch {
      continue; // missing or unreadable: the credentials lookup reports it; no region is no error
    }
    const region = parseIni(text).get(profile)?.get('region');
    return region === undefined || region === '' ? undefined : checkedRegion(region, `[${profile}] region (${file})`);
  }
  return undefined;
};
