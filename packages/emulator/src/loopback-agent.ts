import { Agent, type AgentOptions } from 'node:http';
import { connect, type Socket } from 'node:net';

/**
 * An `http.Agent` whose every connection goes to the emulator, whatever host the request names.
 * For clients that derive something from the host name and cannot be given `http://127.0.0.1:port`
 * as is: the official Node SDK signs with the service taken from the endpoint's first label, so it
 * keeps `cvm.tencentcloudapi.com` as its endpoint and this agent as `httpProfile.agent`. No DNS
 * lookup happens; nothing leaves the loopback interface.
 */
export function loopbackAgent(
  emulator: { readonly port: number; readonly url: string },
  options: AgentOptions = {},
): Agent {
  const host = new URL(emulator.url).hostname;
  const agent = new Agent({ keepAlive: true, ...options });
  // createConnection is the documented hook for where an Agent's sockets go.
  (agent as unknown as { createConnection: () => Socket }).createConnection = () => connect(emulator.port, host);
  return agent;
}
