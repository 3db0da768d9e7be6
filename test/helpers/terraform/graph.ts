import assert from 'node:assert/strict';
import { destroy, type Managed } from './run.js';

/**
 * A configuration as Terraform's graph walk sees it: each resource names the resources it
 * references (or `depends_on`), and is made from their applied state.
 */
export interface Node {
  after?: string[];
  apply(applied: Record<string, Managed>): Promise<Managed>;
  /** The destroy step, when it is not run.ts's `destroy` (Delete, gone on refresh, Delete again). */
  destroy?(r: Managed): Promise<void>;
}
export type Graph = Record<string, Node>;

/**
 * Terraform walks the graph with up to 10 operations at once (`-parallelism`): every resource
 * whose dependencies are done runs in the same wave, so rdmc sees them concurrently.
 */
const PARALLELISM = 10;

async function walk(names: string[], ready: (name: string, done: Set<string>) => boolean, step: (name: string) => Promise<void>): Promise<string[][]> {
  const done = new Set<string>();
  const waves: string[][] = [];
  while (done.size < names.length) {
    const wave = names.filter((n) => !done.has(n) && ready(n, done));
    assert.ok(wave.length > 0, `the graph has a cycle among ${names.filter((n) => !done.has(n)).join(', ')}`);
    for (let i = 0; i < wave.length; i += PARALLELISM) await Promise.all(wave.slice(i, i + PARALLELISM).map(step));
    wave.forEach((n) => done.add(n));
    waves.push(wave);
  }
  return waves;
}

/** `terraform apply`: a resource once everything it references is applied. Answers the state and the waves. */
export async function applyGraph(graph: Graph): Promise<{ applied: Record<string, Managed>; waves: string[][] }> {
  const names = Object.keys(graph);
  for (const n of names) for (const d of graph[n]!.after ?? []) assert.ok(d in graph, `${n} depends on ${d}, which is not in the graph`);
  const applied: Record<string, Managed> = {};
  const waves = await walk(names, (n, done) => (graph[n]!.after ?? []).every((d) => done.has(d)), async (n) => {
    applied[n] = await graph[n]!.apply(applied);
  });
  return { applied, waves };
}

/** `terraform destroy`: a resource once everything that references it is destroyed. Answers the waves. */
export async function destroyGraph(graph: Graph, applied: Record<string, Managed>): Promise<string[][]> {
  const names = Object.keys(graph);
  const dependents = (n: string) => names.filter((m) => (graph[m]!.after ?? []).includes(n));
  return walk(names, (n, done) => dependents(n).every((m) => done.has(m)), async (n) => {
    const r = applied[n]!;
    await (graph[n]!.destroy ?? destroy)(r);
  });
}
