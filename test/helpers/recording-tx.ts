import type { Tx } from '../../src/storage/store.js';

/** A transaction that records which repository methods are called (`repo.method`), in order. */
export function recording(tx: Tx, calls: string[]): Tx {
  return new Proxy(tx, {
    get(target, repo: string) {
      const real = Reflect.get(target, repo) as object;
      if (typeof real !== 'object' || real === null) return real;
      return new Proxy(real, {
        get(methods, name: string) {
          const fn = Reflect.get(methods, name) as unknown;
          if (typeof fn !== 'function') return fn;
          return (...args: unknown[]) => {
            calls.push(`${repo}.${name}`);
            return (fn as (...a: unknown[]) => unknown).apply(methods, args);
          };
        },
      });
    },
  });
}
