/**
 * A small, bounded HTTP load generator for the benchmarks: a fixed number of
 * requests at a fixed concurrency against a loopback URL, over kept-alive
 * connections (node:http with one socket per concurrent client: fetch costs
 * more per request than the server being measured). Refuses anything but
 * 127.0.0.1 / localhost, so it cannot be pointed at someone else's server.
 */
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';

export interface LoadResult {
  requests: number;
  failures: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Status codes seen, with counts. */
  statuses: Record<number, number>;
}

function loopbackOnly(url: string): URL {
  const target = new URL(url);
  if (target.hostname !== '127.0.0.1' && target.hostname !== 'localhost') throw new Error(`http-load: loopback only, not ${target.hostname}`);
  return target;
}

/**
 * One request over the agent; the body is read as bytes and dropped. A body sent
 * compressed is not decompressed: a load generator (wrk, autocannon) measures the
 * server, and a browser decompresses on its own machine, not on the server's cores.
 */
function requestOnce(agent: Agent, target: URL, method: string, headers: Record<string, string>, body?: Buffer): Promise<number> {
  return new Promise<number>((resolve) => {
    const req = request({ host: target.hostname, port: target.port, path: target.pathname + target.search, method, headers, agent }, (res) => {
      res.on('data', () => undefined);
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', () => resolve(0));
    });
    req.on('error', () => resolve(0));
    req.end(body);
  });
}

/** `requests` calls of `once` by `concurrency` clients in turn; latency of each, status counts. */
async function drive(once: (index: number) => Promise<number>, options: { concurrency: number; requests: number }): Promise<LoadResult> {
  const latencies: number[] = [];
  const statuses: Record<number, number> = {};
  let failures = 0;
  let next = 0;
  const worker = async () => {
    while (next < options.requests) {
      const index = next++;
      const start = performance.now();
      const status = await once(index);
      statuses[status] = (statuses[status] ?? 0) + 1;
      if (status < 200 || status >= 400) failures++;
      latencies.push(performance.now() - start);
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const seconds = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
  return { requests: latencies.length, failures, seconds, perSecond: latencies.length / seconds, p50Ms: at(0.5), p99Ms: at(0.99), statuses };
}

export async function loadTest(url: string, init: { method: string; headers: Record<string, string>; body: string }, options: { concurrency: number; requests: number }): Promise<LoadResult> {
  const target = loopbackOnly(url);
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency });
  const body = Buffer.from(init.body);
  const headers = { ...init.headers, 'content-length': String(body.length) };
  try {
    return await drive(() => requestOnce(agent, target, init.method, headers, body), options);
  } finally {
    agent.destroy();
  }
}

/** GETs of `urls` in turn (request i asks for urls[i mod n]), as kept-alive clients do. */
export async function loadPages(urls: string[], headers: Record<string, string>, options: { concurrency: number; requests: number }): Promise<LoadResult> {
  const targets = urls.map(loopbackOnly);
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency });
  try {
    return await drive((index) => requestOnce(agent, targets[index % targets.length]!, 'GET', headers), options);
  } finally {
    agent.destroy();
  }
}
