/**
 * A small, bounded HTTP load generator for the benchmark: a fixed number of
 * requests at a fixed concurrency against a loopback URL, using node's fetch.
 * Refuses anything but 127.0.0.1 / localhost, so it cannot be pointed at
 * someone else's server.
 */
import { performance } from 'node:perf_hooks';

export interface LoadResult {
  requests: number;
  failures: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
}

export async function loadTest(url: string, init: { method: string; headers: Record<string, string>; body: string }, options: { concurrency: number; requests: number }): Promise<LoadResult> {
  const host = new URL(url).hostname;
  if (host !== '127.0.0.1' && host !== 'localhost') throw new Error(`http-load: loopback only, not ${host}`);
  const latencies: number[] = [];
  let failures = 0;
  let next = 0;
  const worker = async () => {
    while (next < options.requests) {
      next++;
      const start = performance.now();
      try {
        const response = await fetch(url, init);
        await response.arrayBuffer();
        if (!response.ok) failures++;
      } catch {
        failures++;
      }
      latencies.push(performance.now() - start);
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const seconds = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
  return { requests: latencies.length, failures, seconds, perSecond: latencies.length / seconds, p50Ms: at(0.5), p99Ms: at(0.99) };
}
