// Reconnect delays for the live channel: exponential, capped, with "full jitter" so that
// many browsers of one household do not hammer the local API in step after a restart.

export const BASE_MS = 1000;
export const MAX_MS = 60000;

/**
 * The delay before reconnect attempt `attempt` (0 = first retry).
 * `random` is injected so tests are exact; it must return a number in [0, 1).
 */
export function reconnectDelay(attempt, random = Math.random, { base = BASE_MS, max = MAX_MS } = {}) {
  const step = Math.max(0, Math.floor(Number(attempt) || 0));
  const ceiling = Math.min(max, base * 2 ** Math.min(step, 30));
  // Never below half the ceiling: a zero delay would turn a dead API into a busy loop.
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}
